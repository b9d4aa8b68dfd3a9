package dev.engage.launcher.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One generated input as its real source would send it: a Segment event from the website or the
 * app, a contact-center webhook, a point-of-sale receipt, a booking or a flight-status update.
 */
public record Emitted(Instant at, Target target, ObjectNode body) {

  /** Which public interface takes it. */
  public enum Target {
    /** Segment events of the website source ({@code /v1/batch}). */
    WEB,
    /** Segment events of the mobile-app source ({@code /v1/batch}). */
    APP,
    /** A contact-center webhook ({@code /v1/call-center/events}). */
    CALL_CENTER,
    /** A receipt of a point-of-sale export ({@code engage ingest pos}). */
    POS,
    /** A booking ({@code /v1/bookings}). */
    BOOKING,
    /** A flight-status update ({@code /v1/flights/status}). */
    FLIGHT_STATUS
  }
}

package dev.engage.jobs.disruption;

import dev.engage.avro.Booking;

/**
 * A booking as seen by one of its flights: on it ({@code booking} set) or no longer on it ({@code
 * booking} null: cancelled or rebooked elsewhere). A Flink POJO.
 */
public class FlightBooking {
  public String flightKey;
  public String bookingReference;
  public Booking booking;

  public FlightBooking() {}

  FlightBooking(String flightKey, String bookingReference, Booking booking) {
    this.flightKey = flightKey;
    this.bookingReference = bookingReference;
    this.booking = booking;
  }
}

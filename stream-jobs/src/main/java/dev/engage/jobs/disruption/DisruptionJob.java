package dev.engage.jobs.disruption;

import dev.engage.avro.Booking;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.DeadLetter;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.FlightDisruption;
import dev.engage.avro.FlightStatus;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.DeadLetterOutput;
import dev.engage.jobs.profile.ErasedProfile;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The flight-disruption join: flight status updates (which are also the schedule) and bookings in,
 * one {@code flight_disruption} touchpoint per booked passenger out, whenever their flight gets
 * worse for them. It reads top to bottom: statuses by route pick the alternatives, bookings by
 * reference tell their flights who is on board, both meet by flight, and preferences join by
 * customer. The caller passes the sources and takes the output, so main and tests share it.
 */
public final class DisruptionJob {
  private static final TypeInformation<Touchpoint> TOUCHPOINT =
      new AvroTypeInfo<>(Touchpoint.class);

  private static final TypeInformation<CustomerProfile> PROFILE =
      new AvroTypeInfo<>(CustomerProfile.class);

  private DisruptionJob() {}

  /** An erased customer declares nothing any more: their kept preferences go. */
  private static CustomerProfile erased(ErasureRequest erasure) {
    return ErasedProfile.of(erasure.getCustomerId(), erasure.getRequestedAt());
  }

  /** The per-passenger disruption touchpoints, and what its operators threw on. */
  public record Disruptions(
      DataStream<Touchpoint> touchpoints, DataStream<DeadLetter> deadLetters) {}

  public static Disruptions disruptions(
      DataStream<FlightStatus> statuses,
      DataStream<Booking> bookings,
      DataStream<CustomerProfile> profiles,
      DataStream<ErasureRequest> erasures,
      DisruptionSeverity severity,
      Duration preferencesTimeToLive) {
    SingleOutputStreamOperator<FlightDisruption> disruptions =
        statuses
            .keyBy(RouteSchedule::route)
            .process(new RouteSchedule(severity), new AvroTypeInfo<>(FlightDisruption.class))
            .uid("route-schedule")
            .name("route schedule and alternatives");
    SingleOutputStreamOperator<FlightBooking> bookedFlights =
        bookings
            .keyBy(Booking::getBookingReference)
            .process(new BookingFlights(), TypeInformation.of(FlightBooking.class))
            .uid("booking-flights")
            .name("bookings by flight");
    SingleOutputStreamOperator<Touchpoint> perPassenger =
        bookedFlights
            .keyBy(b -> b.flightKey)
            .connect(disruptions.keyBy(d -> d.getStatus().getFlight().getFlightKey()))
            .process(new PassengerFanOut(), TOUCHPOINT)
            .uid("passenger-fan-out")
            .name("one disruption per passenger");
    SingleOutputStreamOperator<Touchpoint> withPreferences =
        perPassenger
            .keyBy(Touchpoint::getCustomerId)
            .connect(
                profiles
                    .union(erasures.map(DisruptionJob::erased, PROFILE).name("erasure as profile"))
                    .keyBy(CustomerProfile::getCustomerId))
            .process(new PassengerPreferences(preferencesTimeToLive), TOUCHPOINT)
            .uid("passenger-preferences")
            .name("declared disruption preferences");
    return new Disruptions(
        withPreferences,
        disruptions
            .getSideOutput(DeadLetterOutput.DEAD_LETTERS)
            .union(
                bookedFlights.getSideOutput(DeadLetterOutput.DEAD_LETTERS),
                perPassenger.getSideOutput(DeadLetterOutput.DEAD_LETTERS),
                withPreferences.getSideOutput(DeadLetterOutput.DEAD_LETTERS)));
  }
}

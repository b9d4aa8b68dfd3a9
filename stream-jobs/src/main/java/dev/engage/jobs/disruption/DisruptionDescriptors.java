package dev.engage.jobs.disruption;

import dev.engage.avro.Booking;
import dev.engage.avro.FlightDisruption;
import dev.engage.avro.FlightStatus;
import dev.engage.avro.Preferences;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/** The state of the disruption join, in one place; every value is Avro, none goes through Kryo. */
final class DisruptionDescriptors {
  private DisruptionDescriptors() {}

  /** Per route: the latest status of each of its flights, by flight key (the schedule). */
  static final MapStateDescriptor<String, FlightStatus> ROUTE_FLIGHTS =
      new MapStateDescriptor<>(
          "route-flights", Types.STRING, new AvroTypeInfo<>(FlightStatus.class));

  /** Per route: the highest severity announced for each flight, by flight key. */
  static final MapStateDescriptor<String, Integer> ANNOUNCED =
      new MapStateDescriptor<>("announced-severity", Types.STRING, Types.INT);

  /** Per booking: its latest version, to tell which flights it left. */
  static final ValueStateDescriptor<Booking> BOOKING =
      new ValueStateDescriptor<>("booking", new AvroTypeInfo<>(Booking.class));

  /** Per flight: the bookings on it, by booking reference. */
  static final MapStateDescriptor<String, Booking> FLIGHT_BOOKINGS =
      new MapStateDescriptor<>("flight-bookings", Types.STRING, new AvroTypeInfo<>(Booking.class));

  /** Per flight: the worst disruption so far. */
  static final ValueStateDescriptor<FlightDisruption> DISRUPTION =
      new ValueStateDescriptor<>("disruption", new AvroTypeInfo<>(FlightDisruption.class));

  /** Per flight: the severity each passenger was told about, by {@code booking/passenger}. */
  static final MapStateDescriptor<String, Integer> TOLD =
      new MapStateDescriptor<>("told-severity", Types.STRING, Types.INT);

  /** Per customer: declared preferences, from the profiles topic. */
  static final ValueStateDescriptor<Preferences> PREFERENCES =
      new ValueStateDescriptor<>("preferences", new AvroTypeInfo<>(Preferences.class));

  /** Per customer with preferences: when (processing time) they go without a new profile. */
  static final ValueStateDescriptor<Long> PREFERENCES_EVICTION =
      new ValueStateDescriptor<>("preferences-eviction", Types.LONG);
}

package dev.engage.ingestion.identity;

import dev.engage.avro.Booking;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.Passenger;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Takes an erased customer off every booking on the compacted {@code bookings} topic (GDPR). A
 * booking with other passengers gets a new version without them; one with nobody left gets a
 * cancelled, empty version (so the disruption join lets go of it, as for any cancellation) and then
 * a tombstone. Versions are dated at the erasure, after whatever the booking held. It scans the
 * global store of bookings: erasures are rare, and bookings are keyed by reference, not customer.
 */
public final class BookingEraser implements Processor<String, ErasureRequest, String, Booking> {
  public static final String BOOKINGS_STORE = "bookings";

  private final String bookingsSink;
  private final Deserializer<Booking> bookings;
  private KeyValueStore<String, byte[]> store;
  private ProcessorContext<String, Booking> context;

  public BookingEraser(String bookingsSink, Deserializer<Booking> bookings) {
    this.bookingsSink = bookingsSink;
    this.bookings = bookings;
  }

  @Override
  public void init(ProcessorContext<String, Booking> context) {
    this.context = context;
    this.store = context.getStateStore(BOOKINGS_STORE);
  }

  @Override
  public void process(Record<String, ErasureRequest> record) {
    ErasureRequest erasure = record.value();
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, byte[]> stored = all.next();
        Booking booking = bookings.deserialize(BOOKINGS_STORE, stored.value);
        if (booking != null && travels(booking, erasure.getCustomerId())) {
          forget(booking, erasure, record.timestamp());
        }
      }
    }
  }

  private void forget(Booking booking, ErasureRequest erasure, long timestamp) {
    List<Passenger> others =
        booking.getPassengers().stream()
            .filter(p -> !erasure.getCustomerId().equals(p.getCustomerId()))
            .toList();
    Booking without =
        Booking.newBuilder(booking)
            .setEventId(booking.getBookingReference() + "/" + erasure.getRequestId())
            .setPassengers(others)
            .setCancelled(booking.getCancelled() || others.isEmpty())
            .setOccurredAt(erasure.getRequestedAt())
            .setReceivedAt(erasure.getRequestedAt())
            .build();
    String reference = booking.getBookingReference();
    context.forward(new Record<>(reference, without, timestamp), bookingsSink);
    if (others.isEmpty()) {
      context.forward(new Record<String, Booking>(reference, null, timestamp), bookingsSink);
    }
  }

  private static boolean travels(Booking booking, String customerId) {
    return booking.getPassengers().stream().anyMatch(p -> customerId.equals(p.getCustomerId()));
  }
}

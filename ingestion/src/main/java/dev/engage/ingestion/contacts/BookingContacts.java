package dev.engage.ingestion.contacts;

import dev.engage.avro.Booking;
import dev.engage.avro.Passenger;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The contact points a booking gives: the email and phone of each passenger that carries a customer
 * id (the others cannot be told apart from strangers), as of the booking's time, keyed by that
 * customer. Tombstones and passengers without either give nothing.
 */
public final class BookingContacts implements Processor<String, Booking, String, ContactSighting> {
  static final String SOURCE = "booking";

  private ProcessorContext<String, ContactSighting> context;

  @Override
  public void init(ProcessorContext<String, ContactSighting> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Booking> record) {
    Booking booking = record.value();
    if (booking == null) {
      return;
    }
    for (Passenger passenger : booking.getPassengers()) {
      if (passenger.getCustomerId() == null) {
        continue;
      }
      ContactSighting sighting =
          new ContactSighting(
              passenger.getEmail(), passenger.getPhone(), SOURCE, null, booking.getOccurredAt());
      if (!sighting.isEmpty()) {
        context.forward(new Record<>(passenger.getCustomerId(), sighting, record.timestamp()));
      }
    }
  }
}

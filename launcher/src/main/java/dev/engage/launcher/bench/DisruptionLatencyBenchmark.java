package dev.engage.launcher.bench;

import dev.engage.avro.Booking;
import dev.engage.avro.FlightSegment;
import dev.engage.avro.FlightState;
import dev.engage.avro.FlightStatus;
import dev.engage.avro.Passenger;
import dev.engage.avro.TriggerFired;
import dev.engage.rules.store.RuleStore;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Time from a flight's cancellation to the last passenger's rebooking trigger, on the running
 * stack: bookings of {@code passengers} people on each of {@code repeats} flights are loaded first,
 * then each flight is cancelled in turn and the clock runs from sending its status until all its
 * passengers' TriggerFired records are on the triggers topic (through the disruption join, the
 * touchpoints topic and the trigger job).
 */
public final class DisruptionLatencyBenchmark {
  static final String RULE =
      """
      id: bench-rebooking
      name: Rebooking offer (benchmark)
      when:
        kind: event
        condition: "event.type == 'flight_disruption' && event.attributes['flight.number'].startsWith('BX') && (event.delayMinutes >= 120 || event.status == 'CANCELLED')"
      action: {code: REBOOK_OFFER}
      """;
  private static final int PER_BOOKING = 4;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final String bootstrapServers;
  private final TopicCatalog topics;
  private final RuleStore rules;
  private final PrintWriter out;
  private final String run = UUID.randomUUID().toString().substring(0, 6);

  public DisruptionLatencyBenchmark(
      String bootstrapServers, TopicCatalog topics, RuleStore rules, PrintWriter out) {
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    this.rules = rules;
    this.out = out;
  }

  public Map<String, Object> run(int passengers, int repeats) throws Exception {
    rules.publish(RULE, "yaml", "bench");
    Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(2));
    List<FlightSegment> flights = new ArrayList<>();
    List<Booking> bookings = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      FlightSegment flight = flight(day, r);
      flights.add(flight);
      for (int b = 0; b < passengers / PER_BOOKING; b++) {
        bookings.add(booking(flight, r, b));
      }
    }
    send(topics.bookings(), Booking::getBookingReference, bookings);
    out.printf(
        "  loaded %,d bookings (%,d passengers on each of %d flights); waiting 5 s for the join%n",
        bookings.size(), passengers, repeats);
    Thread.sleep(5000);

    Histogram last = new Histogram(3);
    Histogram first = new Histogram(3);
    Histogram lastFired = new Histogram(3);
    try (KafkaConsumer<String, TriggerFired> triggers = triggersConsumer()) {
      for (FlightSegment flight : flights) {
        long[] times = cancelAndWait(flight, passengers, triggers);
        first.recordValue(times[0]);
        last.recordValue(times[1]);
        lastFired.recordValue(times[2]);
      }
    }
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("passengers", passengers);
    results.put("repeats", repeats);
    results.put("lastTriggerP50Ms", last.getValueAtPercentile(50));
    results.put("lastTriggerP99Ms", last.getValueAtPercentile(99));
    results.put("firstTriggerP50Ms", first.getValueAtPercentile(50));
    results.put("lastFiredP50Ms", lastFired.getValueAtPercentile(50));
    results.put("lastFiredP99Ms", lastFired.getValueAtPercentile(99));
    out.printf(
        "  cancellation of a %d-passenger flight -> last trigger fired (its firedAt): p50 %d ms,"
            + " p99 %d ms%n",
        passengers, lastFired.getValueAtPercentile(50), lastFired.getValueAtPercentile(99));
    out.printf(
        "  cancellation of a %d-passenger flight -> last trigger visible on triggers"
            + " (read_committed, so after the checkpoint that commits it): p50 %d ms, p99 %d ms"
            + " (first trigger p50 %d ms; %d repeats)%n",
        passengers,
        last.getValueAtPercentile(50),
        last.getValueAtPercentile(99),
        first.getValueAtPercentile(50),
        repeats);
    return results;
  }

  /**
   * Milliseconds from sending the cancellation to its first and its last trigger read, and to the
   * latest {@code firedAt} among them (the trigger operator's clock: the same machine's).
   */
  private long[] cancelAndWait(
      FlightSegment flight, int passengers, KafkaConsumer<String, TriggerFired> triggers)
      throws Exception {
    String key = flight.getFlightKey();
    long sent = System.nanoTime();
    Instant now = Instant.now();
    long lastFiredAt = now.toEpochMilli();
    send(
        topics.flightStatus(),
        s -> s.getFlight().getFlightKey(),
        List.of(
            FlightStatus.newBuilder()
                .setEventId(key + "-cancelled-" + run)
                .setFlight(flight)
                .setStatus(FlightState.CANCELLED)
                .setOccurredAt(now)
                .setReceivedAt(now)
                .build()));
    long firstAt = 0;
    int seen = 0;
    long deadline = sent + TIMEOUT.toNanos();
    while (seen < passengers) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only "
                + seen
                + " of "
                + passengers
                + " triggers for "
                + key
                + " within "
                + TIMEOUT.toSeconds()
                + " s: is the stream-jobs service running (./engage status)?");
      }
      for (var record : triggers.poll(Duration.ofMillis(20))) {
        TriggerFired fired = record.value();
        if (fired.getRuleId().equals("bench-rebooking")
            && key.equals(fired.getValues().get("event.attributes.flight.key"))) {
          seen++;
          lastFiredAt = Math.max(lastFiredAt, fired.getFiredAt().toEpochMilli());
          if (firstAt == 0) {
            firstAt = System.nanoTime();
          }
        }
      }
    }
    long done = System.nanoTime();
    return new long[] {
      (firstAt - sent) / 1_000_000, (done - sent) / 1_000_000, lastFiredAt - now.toEpochMilli()
    };
  }

  private KafkaConsumer<String, TriggerFired> triggersConsumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-disruption-" + run);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    // triggers is transactional: a firing counts once a checkpoint has committed it
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, TriggerFired> consumer =
        new KafkaConsumer<>(
            props, new StringDeserializer(), topics.triggers().valueSerde().deserializer());
    consumer.subscribe(List.of(topics.triggers().name()));
    while (consumer.assignment().isEmpty()) {
      consumer.poll(Duration.ofMillis(100));
    }
    return consumer;
  }

  private <V> void send(Topic<String, V> topic, Function<V, String> key, List<V> values)
      throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    try (KafkaProducer<String, V> producer =
        new KafkaProducer<>(
            props, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      for (V value : values) {
        producer.send(new ProducerRecord<>(topic.name(), key.apply(value), value));
      }
      producer.flush();
    }
  }

  private FlightSegment flight(Instant day, int repeat) {
    String number = String.valueOf(1000 + repeat);
    return FlightSegment.newBuilder()
        .setFlightKey("BX" + number + "-" + run + "/" + day.toString().substring(0, 10))
        .setCarrier("BX")
        .setFlightNumber(number)
        .setOrigin("BEN")
        .setDestination("MRK")
        .setScheduledDeparture(day.plus(Duration.ofHours(8)))
        .setScheduledArrival(day.plus(Duration.ofHours(10)))
        .build();
  }

  private Booking booking(FlightSegment flight, int repeat, int number) {
    List<Passenger> travellers = new ArrayList<>();
    for (int p = 0; p < PER_BOOKING; p++) {
      travellers.add(
          Passenger.newBuilder()
              .setPassengerId("P" + p)
              .setCustomerId("bench-%s-%d-%d-%d".formatted(run, repeat, number, p))
              .setFirstName("Bench")
              .setLastName("Passenger")
              .build());
    }
    Instant now = Instant.now();
    return Booking.newBuilder()
        .setEventId("bench-" + run + "-" + repeat + "-" + number)
        .setBookingReference("B%s%02d%03d".formatted(run, repeat, number))
        .setPassengers(travellers)
        .setSegments(List.of(flight))
        .setOccurredAt(now)
        .setReceivedAt(now)
        .build();
  }
}

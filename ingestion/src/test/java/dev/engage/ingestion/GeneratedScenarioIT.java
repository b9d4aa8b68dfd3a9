package dev.engage.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.Booking;
import dev.engage.avro.FlightStatus;
import dev.engage.avro.Touchpoint;
import dev.engage.ingestion.collector.Source;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.generate.Emitted;
import dev.engage.launcher.generate.Emitted.Target;
import dev.engage.launcher.generate.ScenarioGenerator;
import dev.engage.launcher.generate.ScenarioSettings;
import dev.engage.launcher.generate.StackSink;
import dev.engage.launcher.stack.SharedStack;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code engage generate}'s scenario through the real collector and normalizer: every generated
 * event arrives once, under the customer it belongs to (store receipts by the loyalty card, the
 * first anonymous pages by the sign-up that followed), with the bookings and flight statuses.
 */
@ExtendWith(SharedStack.class)
class GeneratedScenarioIT {
  @TempDir Path dir;

  @Test
  void aGeneratedScenarioArrivesWholeAndStitchedToItsCustomers(StackConfig config)
      throws Exception {
    Map<Target, String> keys = new EnumMap<>(Target.class);
    keys.put(Target.WEB, "wk_gen_web_0123456789");
    keys.put(Target.APP, "wk_gen_app_0123456789");
    keys.put(Target.CALL_CENTER, "wk_gen_calls_0123456789");
    keys.put(Target.POS, "wk_gen_pos_0123456789");
    keys.put(Target.BOOKING, "wk_gen_ops_0123456789");
    keys.put(Target.FLIGHT_STATUS, "wk_gen_ops_0123456789");
    try (TestIngestion ingestion =
        TestIngestion.start(
            config,
            dir,
            List.of(
                new Source("gen-web", keys.get(Target.WEB), "web", List.of()),
                new Source("gen-app", keys.get(Target.APP), "app", List.of()),
                new Source("gen-calls", keys.get(Target.CALL_CENTER), "call_center", List.of()),
                new Source("gen-pos", keys.get(Target.POS), "pos", List.of()),
                new Source("gen-ops", keys.get(Target.FLIGHT_STATUS), "ops", List.of())))) {
      // a seed of its own: customer ids and message ids differ from any other test's
      ScenarioGenerator generator =
          new ScenarioGenerator(
              new ScenarioSettings(
                  120, 20261202, Instant.parse("2026-10-01T00:00:00Z"), Duration.ofDays(10)));
      List<Emitted> events = new ArrayList<>();
      try (StackSink sink = new StackSink(URI.create(ingestion.base()), keys)) {
        generator.generate(
            e -> {
              events.add(e);
              sink.accept(e);
            });
      }
      Set<String> messageIds = new HashSet<>();
      long touchpointsSent = 0;
      for (Emitted e : events) {
        if (e.target() == Target.WEB || e.target() == Target.APP) {
          messageIds.add(e.body().path("messageId").asText());
          touchpointsSent++;
        } else if (e.target() == Target.POS || e.target() == Target.CALL_CENTER) {
          touchpointsSent++;
        }
      }
      Set<String> customers = new HashSet<>();
      generator.customers().forEach(c -> customers.add(c.id()));

      List<ConsumerRecord<String, Touchpoint>> touchpoints =
          ingestion.read(
              ingestion.topics.touchpoints(),
              r ->
                  messageIds.contains(r.value().getEventId())
                      || r.value().getEventId().startsWith("pos:") && customers.contains(r.key())
                      || r.value().getChannel().equals("call_center")
                          && customers.contains(r.key()),
              (int) touchpointsSent);
      assertThat(touchpoints).hasSize((int) touchpointsSent);
      long anonymous = touchpoints.stream().filter(r -> r.key().startsWith("anon:")).count();
      long firstVisits =
          events.stream()
              .filter(e -> e.target() == Target.WEB && e.body().has("anonymousId"))
              .filter(e -> !e.body().has("userId"))
              .count();
      assertThat(anonymous).as("only the pages before each sign-up").isEqualTo(firstVisits);
      assertThat(touchpoints.stream().filter(r -> !r.key().startsWith("anon:")))
          .allSatisfy(r -> assertThat(customers).contains(r.key()));

      long bookings = events.stream().filter(e -> e.target() == Target.BOOKING).count();
      List<ConsumerRecord<String, Booking>> booked =
          ingestion.read(
              ingestion.topics.bookings(),
              r -> r.value() != null && r.value().getEventId().startsWith("booking-c"),
              (int) bookings);
      assertThat(booked).hasSizeGreaterThanOrEqualTo((int) bookings);
      List<ConsumerRecord<String, FlightStatus>> disruptions =
          ingestion.read(
              ingestion.topics.flightStatus(),
              r -> r.value().getEventId().startsWith("disruption-"),
              3);
      assertThat(disruptions)
          .extracting(r -> r.value().getStatus().name())
          .contains("DELAYED", "CANCELLED");
    }
  }
}

package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.api.auth.Role;
import dev.engage.avro.TriggerFired;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Fire counts read from the real triggers topic, as the trigger job writes them. */
class FireCountsIT extends ApiOnSharedStack {
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String id = "counted-" + run;

  @Test
  void theRuleListShowsFiringsOnceEachWithTheLastDayAndTheLastTime() throws Exception {
    String rule =
        "id: "
            + id
            + "\nname: Counted\nwhen:\n  kind: event\n  condition: \"event.type == 'purchase'\"\n"
            + "action: {code: THANK_YOU}\n";
    HttpResponse<String> put =
        api.send("PUT", "/v1/rules/" + id, Role.MARKETER, rule, "application/yaml");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Instant twoDaysAgo = now.minus(Duration.ofDays(2));

    // e1 arrives twice, as after a job restart; e3 fired two days ago
    send(firing(run + "-e1", now.minusSeconds(60)));
    send(firing(run + "-e2", now));
    send(firing(run + "-e1", now.minusSeconds(60)));
    send(firing(run + "-e3", twoDaysAgo));

    JsonNode fired = awaitFired(3);
    assertThat(fired.path("total").asLong()).isEqualTo(3);
    assertThat(fired.path("last24h").asLong()).isEqualTo(2);
    assertThat(fired.path("lastFiredAt").asText()).isEqualTo(now.toString());
    JsonNode listed = TestApi.json(api.get("/v1/rules", Role.MARKETER)).path("rules");
    for (JsonNode r : listed) {
      if (r.path("id").asText().equals(id)) {
        assertThat(r.path("fired").path("total").asLong()).isEqualTo(3);
      }
    }
    assertThat(listed.findValuesAsText("id")).contains(id);
  }

  /** The rule's fired figures once the total reaches the count, or as they are after 20 s. */
  private JsonNode awaitFired(long total) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode fired;
    do {
      fired = TestApi.json(api.get("/v1/rules/" + id, Role.MARKETER)).path("fired");
      if (fired.path("total").asLong() >= total) {
        // a duplicate counted twice would show up a moment later: look once more
        Thread.sleep(1500);
        return TestApi.json(api.get("/v1/rules/" + id, Role.MARKETER)).path("fired");
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return fired;
  }

  private TriggerFired firing(String eventId, Instant firedAt) {
    return TriggerFired.newBuilder()
        .setEventId(eventId)
        .setCustomerId("cust-" + run)
        .setRuleId(id)
        .setRuleVersion(1)
        .setRuleKind("event")
        .setActionCode("THANK_YOU")
        .setExplanation("a purchase")
        .setValues(Map.of())
        .setCauses(List.of())
        .setOccurredAt(firedAt)
        .setFiredAt(firedAt)
        .build();
  }

  private void send(TriggerFired fired) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, api.bootstrapServers);
    try (KafkaProducer<String, TriggerFired> producer =
        new KafkaProducer<>(
            props, new StringSerializer(), api.topics.triggers().valueSerde().serializer())) {
      producer
          .send(new ProducerRecord<>(api.topics.triggers().name(), fired.getCustomerId(), fired))
          .get();
    }
  }
}

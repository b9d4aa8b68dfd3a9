package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.api.auth.Role;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.Response;
import dev.engage.avro.ResponseType;
import dev.engage.avro.Touchpoint;
import dev.engage.schemas.redis.RedisKeys;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** Responses, preferences and erasure end up on their Kafka topics, read back from the broker. */
class CustomerWritesIT extends ApiOnSharedStack {
  private final String id = "cust-" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void anAgentsAcceptGoesToResponsesWithTheAgent() throws Exception {
    HttpResponse<String> answer =
        api.send(
            "POST",
            "/v1/customers/" + id + "/responses",
            Role.AGENT,
            "{\"type\":\"accepted\",\"actionId\":\"act-1\",\"channel\":\"call_center\"}",
            "application/json");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    String eventId = TestApi.json(answer).path("eventId").asText();
    List<ConsumerRecord<String, Response>> records =
        api.read(api.topics.responses(), r -> r.key().equals(id), 1);
    assertThat(records).hasSize(1);
    Response response = records.get(0).value();
    assertThat(response.getEventId()).isEqualTo(eventId);
    assertThat(response.getType()).isEqualTo(ResponseType.ACCEPTED);
    assertThat(response.getActionId()).isEqualTo("act-1");
    assertThat(response.getAgentId()).isEqualTo("agent-key");
  }

  @Test
  void aBadResponseNamesEveryBadFieldAndWritesNothing() throws Exception {
    HttpResponse<String> answer =
        api.send(
            "POST",
            "/v1/customers/" + id + "/responses",
            Role.APP,
            "{\"type\":\"delivered\",\"occurredAt\":\"yesterday\",\"colour\":\"red\"}",
            "application/json");

    assertThat(answer.statusCode()).isEqualTo(400);
    JsonNode errors = TestApi.json(answer).path("errors");
    assertThat(errors.findValuesAsText("field"))
        .containsExactlyInAnyOrder("colour", "type", "actionId", "occurredAt");
    assertThat(answer.body()).contains("must be one of accepted, dismissed, opened, clicked");
  }

  @Test
  void preferencesBecomeAPreferencesUpdatedTouchpoint() throws Exception {
    HttpResponse<String> answer =
        api.send(
            "PUT",
            "/v1/customers/" + id + "/preferences",
            Role.APP,
            "{\"preferredChannel\":\"sms\",\"consentSms\":true,\"consentEmail\":null,"
                + "\"quietHoursStart\":\"22:00\",\"quietHoursEnd\":\"07:00\","
                + "\"timeZone\":\"Europe/Berlin\",\"onDisruption\":\"rebook_next_flight\"}",
            "application/json");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    List<Touchpoint> written = api.derivedTouchpoints(id, 1);
    assertThat(written).hasSize(1);
    Touchpoint event = written.get(0);
    assertThat(event.getType()).isEqualTo("preferences_updated");
    assertThat(event.getChannel()).isEqualTo("app");
    assertThat(event.getSource()).isEqualTo("api:app-token:" + id); // the app token's caller
    assertThat(event.getAttributes())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "preferredChannel", "sms",
                "consentSms", "true",
                "consentEmail", "false",
                "quietHoursStart", "22:00",
                "quietHoursEnd", "07:00",
                "timeZone", "Europe/Berlin",
                "onDisruption", "rebook_next_flight"));
  }

  @Test
  void badPreferencesAreRefusedFieldByField() throws Exception {
    HttpResponse<String> answer =
        api.send(
            "PUT",
            "/v1/customers/" + id + "/preferences",
            Role.APP,
            "{\"preferredChannel\":\"pigeon\",\"quietHoursStart\":\"25:99\","
                + "\"timeZone\":\"Mars/Olympus\",\"consentSms\":\"yes\"}",
            "application/json");

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(TestApi.json(answer).path("errors").findValuesAsText("field"))
        .containsExactlyInAnyOrder("preferredChannel", "quietHoursStart", "timeZone", "consentSms");
  }

  @Test
  void erasureDeletesTheRedisKeysAndPublishesTheRequest() throws Exception {
    try (JedisPooled redis = api.redis()) {
      redis.hset(RedisKeys.profile(id), Map.of("version", "1", "json", "{}"));
      redis.set(RedisKeys.timeline(id), "[]");
      redis.set(RedisKeys.nextBestActions(id), "{}");
      redis.rpush(RedisKeys.inbox(id), "{\"notificationId\":\"n0\"}");

      HttpResponse<String> answer = api.send("DELETE", "/v1/customers/" + id, Role.ADMIN, "", null);

      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
      assertThat(TestApi.json(answer).path("redisKeysDeleted").asInt()).isEqualTo(4);
      for (String key : RedisKeys.all(id)) {
        assertThat(redis.exists(key)).as(key).isFalse();
      }
    }
    List<ConsumerRecord<String, ErasureRequest>> records =
        api.read(api.topics.erasure(), r -> r.key().equals(id), 1);
    assertThat(records).hasSize(1);
    assertThat(records.get(0).value().getRequestedBy()).isEqualTo("admin-key");
    assertThat(api.read(api.topics.actions(), r -> r.key().equals(id), 1))
        .as("a tombstone for the customer's actions")
        .singleElement()
        .satisfies(r -> assertThat(r.value()).isNull());
    assertThat(api.get("/v1/customers/" + id, Role.AGENT).statusCode()).isEqualTo(404);
  }
}

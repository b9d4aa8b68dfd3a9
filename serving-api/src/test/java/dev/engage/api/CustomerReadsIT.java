package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.api.auth.Role;
import dev.engage.avro.Action;
import dev.engage.avro.Cause;
import dev.engage.avro.NextBestActions;
import dev.engage.schemas.identity.PersonalData;
import dev.engage.schemas.json.AvroToJson;
import dev.engage.schemas.redis.RedisKeys;
import dev.engage.schemas.redis.StoredActions;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** The customer reads against a real Redis, written in the profile job's layout. */
class CustomerReadsIT extends ApiOnSharedStack {
  private static JedisPooled redis;
  private final String id = "cust-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void start() throws Exception {
    redis = api.redis();
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  private void storeProfile() {
    redis.hset(
        RedisKeys.profile(id),
        Map.of("version", "3", "json", "{\"customerId\":\"" + id + "\",\"version\":3}"));
  }

  @Test
  void profileIsTheJsonTheProfileJobWrote() throws Exception {
    storeProfile();

    HttpResponse<String> answer = api.get("/v1/customers/" + id, Role.AGENT);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(TestApi.json(answer).path("version").asInt()).isEqualTo(3);
    assertThat(api.get("/v1/customers/" + id, Role.APP).statusCode()).isEqualTo(200);
  }

  @Test
  void agentsFindACustomerByEmailOrPhoneHowEverItIsWritten() throws Exception {
    String email = PersonalData.sha256(PersonalData.normalizeEmail("Ann.Lee@Example.com"));
    String phone = PersonalData.sha256(PersonalData.normalizePhone("+49 170 123-45"));
    redis.set(RedisKeys.identity("email", email), id);
    redis.set(RedisKeys.identity("phone", phone), id);

    HttpResponse<String> byEmail =
        api.get("/v1/customers?email=%20ann.lee@example.COM", Role.AGENT);
    assertThat(byEmail.statusCode()).as(byEmail.body()).isEqualTo(200);
    assertThat(TestApi.json(byEmail).path("customerId").asText()).isEqualTo(id);
    HttpResponse<String> byPhone = api.get("/v1/customers?phone=0049%20170%2012345", Role.AGENT);
    assertThat(TestApi.json(byPhone).path("customerId").asText()).isEqualTo(id);

    HttpResponse<String> unknown = api.get("/v1/customers?email=nobody@example.com", Role.AGENT);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(TestApi.json(unknown).path("detail").asText()).contains("email");
    HttpResponse<String> both = api.get("/v1/customers?email=a@b.c&phone=123", Role.AGENT);
    assertThat(both.statusCode()).isEqualTo(400);
    assertThat(TestApi.json(both).path("errors").toString()).contains("email or phone");
    assertThat(api.get("/v1/customers", Role.AGENT).statusCode()).isEqualTo(400);
    assertThat(api.get("/v1/customers?email=a@b.c", Role.APP).statusCode()).isEqualTo(403);
  }

  @Test
  void unknownCustomerIsA404Problem() throws Exception {
    HttpResponse<String> answer = api.get("/v1/customers/" + id, Role.AGENT);

    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = TestApi.json(answer);
    assertThat(problem.path("status").asInt()).isEqualTo(404);
    assertThat(problem.path("title").asText()).isEqualTo("Not found");
    assertThat(problem.path("detail").asText()).contains(id);
    assertThat(api.get("/v1/customers/" + id + "/timeline", Role.AGENT).statusCode())
        .isEqualTo(404);
  }

  @Test
  void timelineIsTheStoredArrayOrEmptyForAKnownCustomer() throws Exception {
    storeProfile();
    assertThat(api.get("/v1/customers/" + id + "/timeline", Role.AGENT).body()).isEqualTo("[]");

    redis.set(RedisKeys.timeline(id), "[{\"type\":\"purchase\",\"summary\":\"bought shoes\"}]");

    JsonNode timeline = TestApi.json(api.get("/v1/customers/" + id + "/timeline", Role.AGENT));
    assertThat(timeline).hasSize(1);
    assertThat(timeline.get(0).path("summary").asText()).isEqualTo("bought shoes");
  }

  @Test
  void nextBestActionsAreEmptyUntilDecided() throws Exception {
    JsonNode answer =
        TestApi.json(api.get("/v1/customers/" + id + "/next-best-actions", Role.AGENT));

    assertThat(answer.path("customerId").asText()).isEqualTo(id);
    assertThat(answer.path("actions")).isEmpty();
  }

  @Test
  void nextBestActionsLeaveOutExpiredOnesAndForAgentsTheHiddenOnes() throws Exception {
    Instant later = Instant.now().plusSeconds(3600);
    storeActions(
        action("a1", true, later),
        action("a2", false, later),
        action("a3", true, Instant.now().minusSeconds(60)));

    JsonNode forAgent =
        TestApi.json(api.get("/v1/customers/" + id + "/next-best-actions", Role.AGENT));
    JsonNode forApp = TestApi.json(api.get("/v1/customers/" + id + "/next-best-actions", Role.APP));

    assertThat(forAgent.path("version").asInt()).isEqualTo(7);
    assertThat(forAgent.path("actions").findValuesAsText("actionId")).containsExactly("a1");
    assertThat(forAgent.path("actions").get(0).path("reason").asText()).isEqualTo("because a1");
    assertThat(forApp.path("actions").findValuesAsText("actionId")).containsExactly("a1", "a2");
  }

  @Test
  void whileNoActionHasExpiredTheStoredAnswerGoesAsItIs() throws Exception {
    Instant later = Instant.now().plusSeconds(3600);
    Map<String, String> stored =
        storeActions(action("a1", true, later), action("a2", false, later));

    HttpResponse<String> forApp = api.get("/v1/customers/" + id + "/next-best-actions", Role.APP);
    JsonNode forAgent =
        TestApi.json(api.get("/v1/customers/" + id + "/next-best-actions", Role.AGENT));

    assertThat(forApp.body()).isEqualTo(stored.get(StoredActions.JSON));
    assertThat(TestApi.json(forApp).path("customerId").asText()).isEqualTo(id);
    assertThat(TestApi.json(forApp).path("actions").findValuesAsText("actionId"))
        .containsExactly("a1", "a2");
    assertThat(forAgent.path("actions").findValuesAsText("actionId")).containsExactly("a1");
  }

  @Test
  void actionsAnOlderEngageWroteAsOneStringAreStillFiltered() throws Exception {
    Instant later = Instant.now().plusSeconds(3600);
    NextBestActions list =
        actions(
            action("a1", true, later),
            action("a2", false, later),
            action("a3", true, Instant.now().minusSeconds(60)));
    redis.set(RedisKeys.nextBestActions(id), AvroToJson.write(list).toString());

    JsonNode forAgent =
        TestApi.json(api.get("/v1/customers/" + id + "/next-best-actions", Role.AGENT));
    JsonNode forApp = TestApi.json(api.get("/v1/customers/" + id + "/next-best-actions", Role.APP));

    assertThat(forAgent.path("actions").findValuesAsText("actionId")).containsExactly("a1");
    assertThat(forApp.path("actions").findValuesAsText("actionId")).containsExactly("a1", "a2");
  }

  @Test
  void decisionsAreTheLastOnesNewestFirstForAgentsAndMarketers() throws Exception {
    assertThat(
            TestApi.json(api.get("/v1/customers/" + id + "/decisions", Role.AGENT))
                .path("decisions"))
        .isEmpty();
    redis.lpush(
        RedisKeys.decisions(id),
        "{\"sequence\":0,\"notifications\":[]}",
        "{\"sequence\":1,\"notifications\":[{\"verdict\":\"DEFER\",\"reason\":\"QUIET_HOURS\"}]}");

    JsonNode answer = TestApi.json(api.get("/v1/customers/" + id + "/decisions", Role.MARKETER));

    assertThat(answer.path("decisions").findValuesAsText("sequence")).containsExactly("1", "0");
    assertThat(answer.path("decisions").get(0).path("notifications").get(0).path("reason").asText())
        .isEqualTo("QUIET_HOURS");
    assertThat(api.get("/v1/customers/" + id + "/decisions", Role.APP).statusCode()).isEqualTo(403);
  }

  /** Stores the actions as the decisions job does; the hash's fields. */
  private Map<String, String> storeActions(Action... actions) {
    Map<String, String> fields = StoredActions.fields(actions(actions));
    redis.hset(RedisKeys.nextBestActions(id), fields);
    return fields;
  }

  private NextBestActions actions(Action... actions) {
    return NextBestActions.newBuilder()
        .setCustomerId(id)
        .setVersion(7)
        .setDecidedAt(Instant.parse("2026-01-01T00:00:00Z"))
        .setActions(List.of(actions))
        .build();
  }

  private static Action action(String actionId, boolean agentVisible, Instant expiresAt) {
    return Action.newBuilder()
        .setActionId(actionId)
        .setCode("OFFER")
        .setTitle("t")
        .setPriority(50)
        .setScore(0.5)
        .setReason("because " + actionId)
        .setRuleId("r")
        .setRuleVersion(1)
        .setAgentVisible(agentVisible)
        .setExpiresAt(expiresAt)
        .setCause(new Cause("e-" + actionId, "flight_disruption", expiresAt))
        .build();
  }

  @Test
  void notificationsAreTheInboxOrEmpty() throws Exception {
    assertThat(api.get("/v1/customers/" + id + "/notifications", Role.APP).body()).isEqualTo("[]");

    redis.rpush(RedisKeys.inbox(id), "{\"notificationId\":\"n1\",\"body\":\"Your flight\"}");

    JsonNode inbox = TestApi.json(api.get("/v1/customers/" + id + "/notifications", Role.APP));
    assertThat(inbox.findValuesAsText("notificationId")).containsExactly("n1");
  }

  @Test
  void anIdThatWouldBreakTheHashTagIsRefused() throws Exception {
    HttpResponse<String> answer = api.get("/v1/customers/a%7Db", Role.AGENT);

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(TestApi.json(answer).path("detail").asText()).startsWith("id:");
  }
}

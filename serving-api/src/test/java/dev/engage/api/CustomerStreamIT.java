package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engage.api.auth.Role;
import dev.engage.schemas.redis.RedisKeys;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** Server-sent events fed by the customer's Redis pub/sub channel. */
class CustomerStreamIT extends ApiOnSharedStack {
  private final String id = "cust-" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void afterReadyEveryAnnouncementArrivesAsAnEventNamedAfterItsType() throws Exception {
    try (EventStream stream =
        EventStream.open(api, "/v1/customers/" + id + "/stream", api.key(Role.AGENT))) {
      assertThat(stream.response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
      await().atMost(Duration.ofSeconds(10)).until(() -> stream.lines.contains("event: ready"));

      // published once, right after ready: ready promises the subscription is in place
      String announcement = "{\"type\":\"profile\",\"customerId\":\"" + id + "\",\"version\":4}";
      try (JedisPooled redis = api.redis()) {
        redis.publish(RedisKeys.updates(id), announcement);
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> stream.lines.contains("data: " + announcement));
      assertThat(stream.lines).contains("event: profile");
    }
  }

  @Test
  void aStreamNeedsAKeyOfAnAllowedRole() throws Exception {
    assertThat(api.get("/v1/customers/" + id + "/stream", Role.MARKETER).statusCode())
        .isEqualTo(403);
    assertThat(api.send(api.request("/v1/customers/" + id + "/stream", null).GET()).statusCode())
        .isEqualTo(401);
    assertThat(api.get("/v1/customers/" + id + "/stream", Role.AGENT).statusCode()).isEqualTo(406);
  }

  @Test
  void aStreamTokenOpensThatCustomersStreamOnlyAndOnlyForAllowedRoles() throws Exception {
    HttpResponse<String> issued =
        api.send("POST", "/v1/customers/" + id + "/stream-token", Role.AGENT, "", null);
    assertThat(issued.statusCode()).isEqualTo(200);
    assertThat(issued.headers().firstValue("Cache-Control")).hasValue("no-store");
    String token = TestApi.json(issued).path("token").asText();
    String streamPath = TestApi.json(issued).path("stream").asText();
    assertThat(streamPath).isEqualTo("/v1/customers/" + id + "/stream?token=" + token);
    assertThat(token).doesNotContain(api.key(Role.AGENT));

    try (EventStream stream = EventStream.open(api, streamPath, null)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> stream.lines.contains("event: ready"));
    }

    String other = "/v1/customers/other-" + id + "/stream?token=" + token;
    assertThat(api.send(api.request(other, null).GET()).statusCode()).isEqualTo(401);
    String elsewhere = "/v1/customers/" + id + "/timeline?token=" + token;
    assertThat(api.send(api.request(elsewhere, null).GET()).statusCode()).isEqualTo(401);
    assertThat(
            api.send("POST", "/v1/customers/" + id + "/stream-token", Role.MARKETER, "", null)
                .statusCode())
        .isEqualTo(403);
  }
}

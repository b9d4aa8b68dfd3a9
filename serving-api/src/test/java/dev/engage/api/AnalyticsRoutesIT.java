package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.api.auth.Role;
import dev.engage.launcher.config.StackConfig;
import dev.engage.schemas.redis.AnalyticsKeys;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * The analytics routes on a real redis-server, over hash fields written as the stream jobs write
 * them (the stack is shared, so every name is this run's own). The uplift is that of DecisionsIT's
 * scripted control group: 6 of 12 treated and 2 of 6 control customers converted.
 */
class AnalyticsRoutesIT extends ApiOnSharedStack {
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @Test
  void aCampaignsFunnelAndUpliftWithItsIntervalAsWorkedOutByHand() throws Exception {
    String campaign = "sale|" + run; // a name may hold the separator
    write(
        AnalyticsKeys.campaigns(),
        campaign,
        Map.of(
            "fired", "18",
            "decided", "18",
            "sent", "12",
            "opened", "5",
            "suppressed:CONTROL_GROUP", "6",
            "exposed:treated", "12",
            "converted:treated", "6",
            "exposed:control", "6",
            "converted:control", "2"));

    JsonNode figures = null;
    for (JsonNode c :
        TestApi.json(api.get("/v1/analytics/campaigns", Role.MARKETER)).path("campaigns")) {
      if (c.path("campaign").asText().equals(campaign)) {
        figures = c;
      }
    }
    assertThat(figures).isNotNull();
    assertThat(figures.path("fired").asLong()).isEqualTo(18);
    assertThat(figures.path("sent").asLong()).isEqualTo(12);
    assertThat(figures.path("opened").asLong()).isEqualTo(5);
    assertThat(figures.path("clicked").asLong()).isZero();
    assertThat(figures.path("suppressed").path("CONTROL_GROUP").asLong()).isEqualTo(6);
    JsonNode uplift = figures.path("uplift");
    assertThat(uplift.path("treated").path("rate").asDouble()).isEqualTo(0.5);
    assertThat(uplift.path("control").path("rate").asDouble()).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(uplift.path("difference").asDouble()).isCloseTo(1 / 6.0, within(1e-12));
    // Wilson 6/12: 0.25378 to 0.74622; 2/6: 0.09677 to 0.70001. Newcombe's method 10:
    // 1/6 - sqrt((0.5 - 0.25378)^2 + (0.70001 - 1/3)^2) = -0.27501,
    // 1/6 + sqrt((0.74622 - 0.5)^2 + (1/3 - 0.09677)^2) = 0.50812
    assertThat(uplift.path("interval").get(0).asDouble()).isCloseTo(-0.27501, within(1e-5));
    assertThat(uplift.path("interval").get(1).asDouble()).isCloseTo(0.50812, within(1e-5));

    JsonNode one = TestApi.json(api.get("/v1/analytics/campaigns/sale%7C" + run, Role.MARKETER));
    assertThat(one.path("uplift")).isEqualTo(uplift);
    assertThat(api.get("/v1/analytics/campaigns/none-" + run, Role.MARKETER).statusCode())
        .isEqualTo(404);
    assertThat(api.get("/v1/analytics/campaigns", Role.AGENT).statusCode()).isEqualTo(403);
    assertThat(api.get("/v1/analytics/campaigns", null).statusCode()).isEqualTo(401);
  }

  @Test
  void aCampaignWithoutAControlGroupHasNoUplift() throws Exception {
    String campaign = "transactional-" + run;
    write(AnalyticsKeys.campaigns(), campaign, Map.of("exposed:treated", "4", "sent", "4"));

    JsonNode uplift =
        TestApi.json(api.get("/v1/analytics/campaigns/" + campaign, Role.MARKETER)).path("uplift");

    assertThat(uplift.path("difference").isNull()).isTrue();
    assertThat(uplift.path("interval").isNull()).isTrue();
    assertThat(uplift.path("control").path("rate").isNull()).isTrue();
  }

  @Test
  void attributionIsCreditPerChannelWithItsShareOfAllConversions() throws Exception {
    String channel = "kiosk-" + run;
    try (JedisPooled redis = api.redis()) {
      redis.hset(AnalyticsKeys.attribution(), "linear|channel|" + channel, "1.5");
      redis.hset(AnalyticsKeys.attribution(), "firstTouch|channel|" + channel, "2");
    }
    JsonNode answer = TestApi.json(api.get("/v1/analytics/attribution", Role.MARKETER));
    long conversions = answer.path("conversions").asLong();
    JsonNode row = null;
    for (JsonNode r : answer.path("rows")) {
      if (r.path("channel").asText().equals(channel)) {
        row = r;
      }
    }
    assertThat(row).isNotNull();
    assertThat(row.path("credit").path("linear").asDouble()).isEqualTo(1.5);
    assertThat(row.path("credit").path("timeDecay").asDouble()).isZero();
    if (conversions > 0) {
      assertThat(row.path("share").path("firstTouch").asDouble()).isEqualTo(2.0 / conversions);
    }

    JsonNode linear =
        TestApi.json(api.get("/v1/analytics/attribution?model=linear", Role.MARKETER));
    assertThat(linear.path("rows").get(0).path("credit").fieldNames())
        .toIterable()
        .containsExactly("linear");
    HttpResponseAssert.problem(
        api.get("/v1/analytics/attribution?by=store", Role.MARKETER),
        400,
        "by must be one of channel, campaign");
    HttpResponseAssert.problem(
        api.get("/v1/analytics/attribution?model=best", Role.MARKETER),
        400,
        "model must be one of");
  }

  @Test
  void dailyFiguresFillEveryDayUpToTodayAndAgentsHaveTheirRates() throws Exception {
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    JsonNode before = lastDay();
    try (JedisPooled redis = api.redis()) {
      redis.hincrBy(AnalyticsKeys.daily(), "fired|" + today, 3);
    }
    JsonNode days = TestApi.json(api.get("/v1/analytics/daily?days=7", Role.MARKETER)).path("days");
    assertThat(days).hasSize(7);
    assertThat(days.get(6).path("day").asText()).isEqualTo(today);
    assertThat(days.get(6).path("fired").asLong()).isEqualTo(before.path("fired").asLong() + 3);
    assertThat(api.get("/v1/analytics/daily?days=0", Role.MARKETER).statusCode()).isEqualTo(400);
    assertThat(api.get("/v1/analytics/daily?days=367", Role.MARKETER).statusCode()).isEqualTo(400);

    String agent = "agent-" + run;
    write(
        AnalyticsKeys.agents(),
        agent,
        Map.of("calls", "4", "handleSeconds", "600", "shown", "10", "accepted", "4"));
    JsonNode row = null;
    for (JsonNode a : TestApi.json(api.get("/v1/analytics/agents", Role.MARKETER)).path("agents")) {
      if (a.path("agent").asText().equals(agent)) {
        row = a;
      }
    }
    assertThat(row).isNotNull();
    assertThat(row.path("averageHandleSeconds").asDouble()).isEqualTo(150.0);
    assertThat(row.path("acceptanceRate").asDouble()).isEqualTo(0.4);
  }

  @Test
  void theSevenPViewNamesEachFacetAndTheOneWithoutData() throws Exception {
    String segment = "vip-" + run;
    write(
        AnalyticsKeys.segments(),
        segment,
        Map.of(
            "customers", "3",
            "product:books", "2",
            "product:music", "0",
            "price:25-100", "3",
            "place:app", "3",
            "people:calls", "6",
            "process:openCases", "1",
            "process:withOpenCase", "1"));

    JsonNode answer = TestApi.json(api.get("/v1/analytics/segments", Role.MARKETER));
    JsonNode vip = null;
    for (JsonNode s : answer.path("segments")) {
      if (s.path("segment").asText().equals(segment)) {
        vip = s;
      }
    }
    assertThat(answer.path("physicalEvidence").asText()).startsWith("no data source");
    assertThat(vip).isNotNull();
    assertThat(vip.path("customers").asLong()).isEqualTo(3);
    assertThat(vip.path("product").toString()).isEqualTo("{\"books\":2}");
    assertThat(vip.path("price").path("25-100").asLong()).isEqualTo(3);
    assertThat(vip.path("people").path("callsPerCustomer").asDouble()).isEqualTo(2.0);
    assertThat(vip.path("process").path("customersWithOpenCase").asLong()).isEqualTo(1);
    assertThat(vip.path("promotion").path("shown").asLong()).isZero();
    assertThat(vip.path("physicalEvidence").isNull()).isTrue();
  }

  @Test
  void withRedisDownEveryAnalyticsRouteAnswers503WithRetryAfter(StackConfig config)
      throws Exception {
    try (TestApi dead = TestApi.on("redis://127.0.0.1:1", config.bootstrapServers(), config, dir)) {
      for (String route :
          List.of("campaigns", "campaigns/x", "attribution", "daily", "agents", "segments")) {
        java.net.http.HttpResponse<String> down = dead.get("/v1/analytics/" + route, Role.MARKETER);

        assertThat(down.statusCode()).as(route).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).as(route).isPresent();
        assertThat(down.headers().firstValue("Content-Type"))
            .as(route)
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
      }
    }
  }

  private static JsonNode lastDay() throws Exception {
    JsonNode days = TestApi.json(api.get("/v1/analytics/daily?days=1", Role.MARKETER)).path("days");
    return days.get(0);
  }

  private static void write(String hash, String name, Map<String, String> metrics) {
    try (JedisPooled redis = api.redis()) {
      metrics.forEach(
          (metric, value) -> redis.hset(hash, AnalyticsKeys.field(metric, name), value));
    }
  }

  /** A problem+json answer with its status and detail. */
  private static final class HttpResponseAssert {
    static void problem(java.net.http.HttpResponse<String> response, int status, String detail)
        throws Exception {
      assertThat(response.statusCode()).isEqualTo(status);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
      assertThat(TestApi.json(response).path("detail").asText()).contains(detail);
    }
  }
}

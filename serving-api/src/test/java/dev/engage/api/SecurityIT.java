package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.api.auth.Role;
import dev.engage.schemas.http.Problem;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys, roles, rate limits, body limits, CORS and the shape of every refusal. */
class SecurityIT extends ApiOnSharedStack {

  @Test
  void noKeyIs401WithAChallenge() throws Exception {
    HttpResponse<String> answer = api.send(api.request("/v1/customers/x", null).GET());

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"engage\"");
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void unknownKeyIs401() throws Exception {
    HttpResponse<String> answer =
        api.send(api.request("/v1/customers/x", "ek_agent_not_a_real_key_at_all").GET());

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(TestApi.json(answer).path("detail").asText()).isEqualTo("unknown API key");
  }

  @Test
  void theXApiKeyHeaderWorksToo() throws Exception {
    HttpResponse<String> answer =
        api.send(
            api.request("/v1/customers/nobody-here/next-best-actions", null)
                .header("X-API-Key", api.key(Role.AGENT))
                .GET());

    assertThat(answer.statusCode()).isEqualTo(200);
  }

  @Test
  void aKeyOfAnotherRoleIs403NamingTheAllowedRoles() throws Exception {
    HttpResponse<String> marketer = api.get("/v1/customers/x", Role.MARKETER);
    HttpResponse<String> agentOnRules = api.get("/v1/rules", Role.AGENT);
    HttpResponse<String> appErasing = api.send("DELETE", "/v1/customers/x", Role.APP, "", null);

    assertThat(marketer.statusCode()).isEqualTo(403);
    assertThat(TestApi.json(marketer).path("detail").asText())
        .contains("role marketer")
        .contains("agent, app, service");
    assertThat(agentOnRules.statusCode()).isEqualTo(403);
    assertThat(appErasing.statusCode()).isEqualTo(403);
  }

  @Test
  void adminMayUseEveryRoute() throws Exception {
    assertThat(api.get("/v1/customers/nobody/next-best-actions", Role.ADMIN).statusCode())
        .isEqualTo(200);
    assertThat(api.get("/metrics", Role.ADMIN).statusCode()).isEqualTo(200);
  }

  @Test
  void aKeyAboveItsRateGets429WithRetryAfter() throws Exception {
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      answers.add(
          api.send(api.request("/v1/customers/x/next-best-actions", TestApi.SLOW_KEY).GET()));
    }

    assertThat(answers.get(0).statusCode()).isEqualTo(200);
    HttpResponse<String> refused =
        answers.stream().filter(a -> a.statusCode() == 429).findFirst().orElseThrow();
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(TestApi.json(refused).path("title").asText()).isEqualTo("Too many requests");
    // other keys are not affected
    assertThat(api.get("/v1/customers/x/next-best-actions", Role.AGENT).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aBodyAboveTheLimitIs413() throws Exception {
    String big =
        "{\"type\":\"accepted\",\"reason\":\"" + "x".repeat((int) TestApi.MAX_BODY) + "\"}";

    HttpResponse<String> answer =
        api.send("POST", "/v1/customers/x/responses", Role.AGENT, big, "application/json");

    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(TestApi.json(answer).path("detail").asText()).contains("at most 16384");
    // the format every Engage service answers (ingestion's TestIngestion.assertProblem the same)
    assertThat(TestApi.json(answer).path("type").asText())
        .isEqualTo(Problem.TYPE_BASE + "body-too-large");
    assertThat(TestApi.json(answer).path("status").asInt()).isEqualTo(413);
    assertThat(TestApi.json(answer).path("title").asText()).isNotBlank();
    assertThat(TestApi.json(answer).path("instance").asText())
        .isEqualTo("/v1/customers/x/responses");
  }

  @Test
  void healthNeedsNoKeyAndReportsBothDependencies() throws Exception {
    HttpResponse<String> answer = api.send(api.request("/health", null).GET());

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode health = TestApi.json(answer);
    assertThat(health.path("status").asText()).isEqualTo("up");
    assertThat(health.path("redis").path("up").asBoolean()).isTrue();
    assertThat(health.path("kafka").path("up").asBoolean()).isTrue();
  }

  @Test
  void corsAnswersOnlyConfiguredOrigins() throws Exception {
    HttpResponse<String> allowed =
        api.send(
            api.request("/v1/customers/x/next-best-actions", api.key(Role.AGENT))
                .header("Origin", TestApi.CORS_ORIGIN)
                .GET());
    HttpResponse<String> other =
        api.send(
            api.request("/v1/customers/x/next-best-actions", api.key(Role.AGENT))
                .header("Origin", "https://evil.example.com")
                .GET());
    HttpResponse<String> preflight =
        api.send(
            api.request("/v1/customers/x/responses", null)
                .header("Origin", TestApi.CORS_ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue(TestApi.CORS_ORIGIN);
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue(TestApi.CORS_ORIGIN);
  }

  @Test
  void anUnknownRouteIsA404ProblemAndNothingLeaksAStackTrace() throws Exception {
    HttpResponse<String> unknown = api.get("/v1/nothing-here", Role.AGENT);
    HttpResponse<String> badJson =
        api.send("POST", "/v1/customers/x/responses", Role.AGENT, "{not json", "application/json");

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(TestApi.json(badJson).path("detail").asText()).contains("line 1");
    assertThat(unknown.body() + badJson.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void metricsShowLatencyHistogramsPerRouteTemplate() throws Exception {
    api.get("/v1/customers/metrics-probe/next-best-actions", Role.AGENT);

    HttpResponse<String> answer = api.get("/metrics", Role.SERVICE);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body())
        .contains("engage_api_request_seconds_bucket{")
        .contains("route=\"/v1/customers/{id}/next-best-actions\"")
        .contains("engage_api_redis_errors_total")
        .doesNotContain("metrics-probe");
  }

  @Test
  void openApiIsServedToAnyKey() throws Exception {
    HttpResponse<String> answer = api.get("/openapi.json", Role.APP);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(TestApi.json(answer).path("openapi").asText()).startsWith("3.");
  }
}

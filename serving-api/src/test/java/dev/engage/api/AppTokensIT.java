package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.api.auth.Role;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A customer's app reaches that customer only: app tokens issued by a service key, one customer
 * each, on every customer route.
 */
class AppTokensIT extends ApiOnSharedStack {
  /** Every route under /v1/customers/{id}, with a body it would take. */
  private record CustomerRoute(String method, String suffix, String body) {}

  private static final List<CustomerRoute> CUSTOMER_ROUTES =
      List.of(
          new CustomerRoute("GET", "", null),
          new CustomerRoute("GET", "/next-best-actions", null),
          new CustomerRoute("GET", "/timeline", null),
          new CustomerRoute("GET", "/notifications", null),
          new CustomerRoute("GET", "/decisions", null),
          new CustomerRoute("GET", "/stream", null),
          new CustomerRoute("POST", "/stream-token", ""),
          new CustomerRoute("POST", "/token", ""),
          new CustomerRoute("POST", "/responses", "{\"type\":\"dismissed\",\"actionId\":\"a\"}"),
          new CustomerRoute("PUT", "/preferences", "{\"consentSms\":true}"),
          new CustomerRoute("DELETE", "", null));

  @Test
  void aServiceKeyIssuesAShortLivedTokenNamingOneCustomer() throws Exception {
    HttpResponse<String> issued =
        api.send("POST", "/v1/customers/ann/token", Role.SERVICE, "", null);

    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
    assertThat(issued.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode body = TestApi.json(issued);
    assertThat(body.path("customerId").asText()).isEqualTo("ann");
    assertThat(Duration.between(Instant.now(), Instant.parse(body.path("expiresAt").asText())))
        .isPositive()
        .isLessThanOrEqualTo(Duration.ofMinutes(15));
    assertThat(api.send("POST", "/v1/customers/ann/token", Role.AGENT, "", null).statusCode())
        .isEqualTo(403);
  }

  @Test
  void anAppTokenForAnotherCustomerIs403OnEveryCustomerRoute() throws Exception {
    String bobs = api.appToken("bob");

    for (CustomerRoute route : CUSTOMER_ROUTES) {
      HttpResponse<String> answer = call(route, "ann", bobs);
      assertThat(answer.statusCode())
          .as(route.method() + " /v1/customers/ann" + route.suffix() + ": " + answer.body())
          .isEqualTo(403);
      assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
  }

  @Test
  void aStaticAppKeyReachesNoCustomer() throws Exception {
    for (CustomerRoute route : CUSTOMER_ROUTES) {
      HttpResponse<String> answer = call(route, "ann", api.key(Role.APP));
      assertThat(answer.statusCode())
          .as(route.method() + " /v1/customers/ann" + route.suffix() + ": " + answer.body())
          .isEqualTo(403);
    }
  }

  @Test
  void anAppTokenOpensItsOwnCustomersAppRoutes() throws Exception {
    String anns = api.appToken("ann");

    assertThat(call(new CustomerRoute("GET", "/next-best-actions", null), "ann", anns).statusCode())
        .isEqualTo(200);
    assertThat(call(new CustomerRoute("GET", "/notifications", null), "ann", anns).statusCode())
        .isEqualTo(200);
    assertThat(
            call(new CustomerRoute("PUT", "/preferences", "{\"consentSms\":true}"), "ann", anns)
                .statusCode())
        .isEqualTo(202);
    // but not the agents' routes, and no route outside the customer's
    assertThat(call(new CustomerRoute("GET", "/timeline", null), "ann", anns).statusCode())
        .isEqualTo(403);
    assertThat(api.send(api.request("/v1/rules", anns).GET()).statusCode()).isEqualTo(403);
    assertThat(api.send(api.request("/v1/customers/ann", "not.a-token").GET()).statusCode())
        .isEqualTo(401);
  }

  private static HttpResponse<String> call(CustomerRoute route, String customer, String credential)
      throws Exception {
    HttpRequest.Builder request =
        api.request("/v1/customers/" + customer + route.suffix(), credential)
            .header("Accept", route.suffix().equals("/stream") ? "text/event-stream" : "*/*")
            .method(
                route.method(),
                route.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(route.body()));
    if (route.body() != null && !route.body().isEmpty()) {
      request.header("Content-Type", "application/json");
    }
    return api.send(request);
  }
}

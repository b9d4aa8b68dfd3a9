package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.avro.Touchpoint;
import dev.engage.schemas.signing.UnsubscribeToken;
import dev.engage.schemas.signing.WebhookSignature;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One-click unsubscribe (RFC 8058) without an API key: a token delivery issued withdraws that
 * channel's consent by a preferences_updated touchpoint read back from the broker; forged, altered
 * or missing tokens, a POST without the RFC's body and the confirm page itself write nothing.
 */
class UnsubscribeIT extends ApiOnSharedStack {
  private static final UnsubscribeToken TOKENS = new UnsubscribeToken(TestApi.UNSUBSCRIBE_SECRET);
  private final String customer = "cust-" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void aTokenDeliveryIssuedWithdrawsEmailConsentInOneClick() throws Exception {
    HttpResponse<String> answer = oneClick(TOKENS.issue(customer, "email"));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    List<Touchpoint> written = api.derivedTouchpoints(customer, 1);
    assertThat(written).hasSize(1);
    Touchpoint withdrawal = written.get(0);
    assertThat(withdrawal.getEventId()).isEqualTo(TestApi.json(answer).path("eventId").asText());
    assertThat(withdrawal.getType()).isEqualTo("preferences_updated");
    assertThat(withdrawal.getAttributes()).isEqualTo(Map.of("consentEmail", "false"));
    assertThat(withdrawal.getChannel()).isEqualTo("email");
    assertThat(withdrawal.getSource()).isEqualTo("api:unsubscribe");
  }

  @Test
  void forgedAlteredOrMissingTokensAndTheConfirmPageWriteNothing() throws Exception {
    String forged =
        new UnsubscribeToken(WebhookSignature.newSecret().getBytes(StandardCharsets.UTF_8))
            .issue(customer, "email");
    // someone else's genuine signature under this customer's payload
    String theirs = TOKENS.issue("someone-else", "email");
    String ours = TOKENS.issue(customer, "email");
    String altered = ours.substring(0, ours.indexOf('.')) + theirs.substring(theirs.indexOf('.'));

    assertProblem(oneClick(forged), 404, "this unsubscribe link is not valid");
    assertProblem(oneClick(altered), 404, "this unsubscribe link is not valid");
    assertProblem(
        api.send(
            api.request("/v1/unsubscribe", null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click"))),
        400,
        "no ?token=");
    String sms = TOKENS.issue(customer, "sms");
    assertProblem(
        api.send(
            api.request("/v1/unsubscribe?token=" + sms, null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("unsubscribe=yes"))),
        400,
        "List-Unsubscribe=One-Click");
    HttpResponse<String> page = api.send(api.request("/v1/unsubscribe?token=" + sms, null).GET());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.body())
        .contains("text messages", "<form method=\"post\">", "value=\"One-Click\"");

    // the page's button, from a browser: the customer's first and only touchpoint
    HttpResponse<String> pressed =
        api.send(
            api.request("/v1/unsubscribe?token=" + sms, null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")));
    assertThat(pressed.statusCode()).isEqualTo(200);
    assertThat(pressed.body()).contains("no more text messages");
    assertThat(api.derivedTouchpoints(customer, 1))
        .extracting(Touchpoint::getAttributes)
        .containsExactly(Map.of("consentSms", "false"));
  }

  private static HttpResponse<String> oneClick(String token) throws Exception {
    return api.send(
        api.request("/v1/unsubscribe?token=" + token, null)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")));
  }

  private static void assertProblem(HttpResponse<String> answer, int status, String detail)
      throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    JsonNode problem = TestApi.json(answer);
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.toString()).contains(detail);
  }
}

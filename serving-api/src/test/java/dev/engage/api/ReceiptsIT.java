package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.avro.Response;
import dev.engage.avro.ResponseType;
import dev.engage.schemas.signing.WebhookSignature;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Providers' delivery reports: signed as Standard Webhooks say, without an API key, onto {@code
 * responses} read back from the broker; anything unsigned, wrongly signed or from an unknown
 * provider is refused and writes nothing.
 */
class ReceiptsIT extends ApiOnSharedStack {
  private final String customer = "cust-" + UUID.randomUUID().toString().substring(0, 8);
  private final String path = "/v1/receipts/" + TestApi.RECEIPT_PROVIDER;

  @Test
  void aSignedReportLandsOnResponsesWithTheProvidersChannelAndARepeatIsTheSameEvent()
      throws Exception {
    String body = report("n-1", "delivered");
    HttpResponse<String> answer = post(path, body, TestApi.RECEIPT_SECRET);
    HttpResponse<String> repeat = post(path, body, TestApi.RECEIPT_SECRET);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    assertThat(TestApi.json(answer).path("channel").asText()).isEqualTo("sms");
    String eventId = TestApi.json(answer).path("eventId").asText();
    assertThat(TestApi.json(repeat).path("eventId").asText()).isEqualTo(eventId);
    List<ConsumerRecord<String, Response>> records =
        api.read(api.topics.responses(), r -> r.key().equals(customer), 2);
    assertThat(records).hasSize(2);
    Response response = records.get(0).value();
    assertThat(response.getEventId()).isEqualTo(eventId);
    assertThat(response.getType()).isEqualTo(ResponseType.DELIVERED);
    assertThat(response.getChannel()).isEqualTo("sms");
    assertThat(response.getNotificationId()).isEqualTo("n-1");
    assertThat(response.getProviderMessageId()).isEqualTo("SM-n-1");
    assertThat(response.getOccurredAt()).isEqualTo(Instant.parse("2026-11-23T10:15:30Z"));
  }

  @Test
  void aBadOrMissingSignatureIs401AndWritesNothing() throws Exception {
    HttpResponse<String> forged =
        post(path, report("n-2", "bounced"), WebhookSignature.newSecret());
    HttpResponse<String> unsigned =
        api.send(
            api.request(path, null)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(report("n-2", "failed"))));
    String signed = report("n-2", "delivered");
    HttpResponse<String> tampered =
        api.send(
            signedRequest(path, signed, TestApi.RECEIPT_SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(signed.replace("n-2", "n-3"))));

    assertProblem(forged, 401, "not signed with " + TestApi.RECEIPT_PROVIDER + "'s secret");
    assertProblem(unsigned, 401, "webhook-signature");
    assertProblem(tampered, 401, "not signed");
    // a good report for the same customer (same partition, after the refused ones): it is the
    // first and only record the customer has
    assertThat(post(path, report("n-2", "opened"), TestApi.RECEIPT_SECRET).statusCode())
        .isEqualTo(202);
    List<ConsumerRecord<String, Response>> records =
        api.read(api.topics.responses(), r -> r.key().equals(customer), 1);
    assertThat(records).extracting(r -> r.value().getType()).containsExactly(ResponseType.OPENED);
  }

  @Test
  void anUnknownProviderIs404AndABadReportNamesItsFields() throws Exception {
    assertProblem(
        post("/v1/receipts/nobody", report("n-4", "delivered"), TestApi.RECEIPT_SECRET),
        404,
        "no delivery provider 'nobody'");
    HttpResponse<String> bad =
        post(
            path,
            "{\"notificationId\":\"n-4\",\"customerId\":\"a{b}\",\"status\":\"lost\"}",
            TestApi.RECEIPT_SECRET);
    assertProblem(bad, 400, "must be one of delivered, bounced, failed, opened, clicked");
    assertThat(TestApi.json(bad).path("errors").findValuesAsText("field"))
        .containsExactlyInAnyOrder("customerId", "status");
  }

  private String report(String notificationId, String status) {
    return """
        {"notificationId": "%s", "customerId": "%s", "status": "%s",
         "providerMessageId": "SM-%s", "occurredAt": "2026-11-23T10:15:30Z"}
        """
        .formatted(notificationId, customer, status, notificationId);
  }

  private static HttpResponse<String> post(String path, String body, String secret)
      throws Exception {
    return api.send(
        signedRequest(path, body, secret).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static HttpRequest.Builder signedRequest(String path, String body, String secret) {
    String id = "msg_" + UUID.randomUUID();
    long now = Instant.now().getEpochSecond();
    return api.request(path, null)
        .header("Content-Type", "application/json")
        .header(WebhookSignature.ID, id)
        .header(WebhookSignature.TIMESTAMP, Long.toString(now))
        .header(WebhookSignature.SIGNATURE, WebhookSignature.of(secret).sign(id, now, body));
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

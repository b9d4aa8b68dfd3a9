package dev.engage.delivery.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.avro.Notification;
import dev.engage.delivery.config.ProviderConfig;
import dev.engage.schemas.signing.WebhookSignature;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Sends SMS and push notifications as webhooks to a provider: a JSON body signed as the Standard
 * Webhooks specification says ({@code webhook-id} is the notificationId, the same on every try),
 * and {@code Idempotency-Key: <notificationId>} so the provider can drop a repeat. 2xx is sent;
 * 408, 429, 5xx, a timeout or a refused connection are worth another try (honouring {@code
 * Retry-After}); any other answer is final.
 */
public final class WebhookSender implements ChannelSender {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ProviderConfig provider;
  private final WebhookSignature signature;
  private final HttpClient http;
  private final Clock clock;

  public WebhookSender(ProviderConfig provider, HttpClient http, Clock clock) {
    this.provider = provider;
    this.signature = WebhookSignature.of(provider.secret());
    this.http = http;
    this.clock = clock;
  }

  /** The JSON a provider receives; documented in delivery/README.md. */
  static String body(Notification n, String address) {
    ObjectNode body = JSON.createObjectNode();
    body.put("notificationId", n.getNotificationId());
    body.put("customerId", n.getCustomerId());
    body.put("channel", n.getChannel());
    body.put("to", address);
    body.put("title", n.getSubject());
    body.put("body", n.getBody());
    body.put("template", n.getTemplate());
    body.put("purpose", n.getPurpose());
    var options = body.putArray("options");
    n.getOptions()
        .forEach(
            o -> options.addObject().put("optionId", o.getOptionId()).put("label", o.getLabel()));
    body.put("createdAt", n.getCreatedAt().toString());
    return body.toString();
  }

  @Override
  public SendOutcome send(Notification n, String address) {
    String body = body(n, address);
    long timestamp = clock.instant().getEpochSecond();
    String id = n.getNotificationId();
    HttpRequest request =
        HttpRequest.newBuilder(provider.url())
            .timeout(provider.timeout())
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", id)
            .header(WebhookSignature.ID, id)
            .header(WebhookSignature.TIMESTAMP, Long.toString(timestamp))
            .header(WebhookSignature.SIGNATURE, signature.sign(id, timestamp, body))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> answer;
    try {
      answer = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      return new SendOutcome.Retry(
          provider.name() + " did not answer within " + provider.timeout(), null);
    } catch (IOException e) {
      return new SendOutcome.Retry(provider.name() + " unreachable: " + e.getMessage(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new SendOutcome.Retry("interrupted", null);
    }
    int status = answer.statusCode();
    if (status >= 200 && status < 300) {
      return new SendOutcome.Sent(messageId(answer.body(), id));
    }
    String reason = provider.name() + " answered " + status + ": " + abbreviate(answer.body());
    if (status == 408 || status == 429 || status >= 500) {
      return new SendOutcome.Retry(
          reason, retryAfter(answer.headers().firstValue("Retry-After").orElse(null)));
    }
    return new SendOutcome.Failed(reason);
  }

  /** The provider's id for the message, if its answer names one; else the notificationId. */
  private static String messageId(String body, String fallback) {
    try {
      JsonNode answer = JSON.readTree(body);
      for (String field : new String[] {"messageId", "id", "sid"}) {
        if (answer != null && answer.hasNonNull(field)) {
          return answer.get(field).asText();
        }
      }
    } catch (IOException e) {
      // a provider may answer with no body or with text: the notificationId identifies it
    }
    return fallback;
  }

  /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
  Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(clock.instant(), at.toInstant());
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException unreadable) {
        return null;
      }
    }
  }

  private static String abbreviate(String text) {
    String oneLine = text == null ? "" : text.replaceAll("\\s+", " ").trim();
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
  }
}

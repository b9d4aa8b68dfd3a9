package dev.engage.api.receipts;

import dev.engage.api.http.Json;
import dev.engage.api.http.RouteTable;
import dev.engage.api.kafka.EventPublisher;
import dev.engage.avro.Response;
import dev.engage.schemas.http.Problem;
import dev.engage.schemas.signing.WebhookSignature;
import dev.engage.schemas.topics.TopicCatalog;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Locale;

/**
 * {@code POST /v1/receipts/{provider}}: delivery reports from SMS, push and email providers, onto
 * {@code responses}. The route takes no API key, deliberately (it has no roles, as {@code
 * /health}): providers cannot hold one of ours, so the Standard Webhooks signature under the
 * provider's own secret is what authenticates the report, checked over the exact bytes received
 * before the body is parsed. An unknown provider is 404, a missing or wrong signature (or a
 * timestamp more than 5 minutes off, a replay) is 401, and nothing is written for either.
 */
public final class ReceiptRoutes {
  public static final String PATH = "/v1/receipts/{provider}";

  private final EventPublisher publisher;
  private final TopicCatalog topics;
  private final ReceiptProviders providers;
  private final Clock clock;

  public ReceiptRoutes(
      EventPublisher publisher, TopicCatalog topics, ReceiptProviders providers, Clock clock) {
    this.publisher = publisher;
    this.topics = topics;
    this.providers = providers;
    this.clock = clock;
  }

  public void register(RouteTable routes) {
    routes.post(PATH, this::receive);
  }

  private void receive(Context ctx) {
    String name = ctx.pathParam("provider");
    ReceiptProviders.Provider provider =
        providers
            .find(name)
            .orElseThrow(
                () ->
                    Problem.notFound(
                        "no delivery provider '" + name + "' is configured (--receipt-secrets)"));
    String body = ctx.body();
    boolean signed =
        provider
            .signature()
            .verify(
                ctx.header(WebhookSignature.ID),
                ctx.header(WebhookSignature.TIMESTAMP),
                body,
                ctx.header(WebhookSignature.SIGNATURE),
                clock.instant());
    if (!signed) {
      throw new Problem(
          401,
          "invalid-signature",
          "Invalid signature",
          "the report is not signed with "
              + name
              + "'s secret: send webhook-id, webhook-timestamp (Unix seconds, within 5 minutes)"
              + " and webhook-signature (v1,<base64 HMAC-SHA256 of id.timestamp.body>), as the"
              + " Standard Webhooks specification says");
    }
    Response response = ReceiptBody.read(Json.objectBody(ctx), provider, clock.instant());
    publisher.publish(topics.responses(), response.getCustomerId(), response);
    Json.send(
        ctx,
        202,
        Json.MAPPER
            .createObjectNode()
            .put("eventId", response.getEventId())
            .put("customerId", response.getCustomerId())
            .put("type", response.getType().name().toLowerCase(Locale.ROOT))
            .put("channel", response.getChannel()));
  }
}

package dev.engage.api.customers;

import dev.engage.api.http.Json;
import dev.engage.api.http.RouteTable;
import dev.engage.api.kafka.EventPublisher;
import dev.engage.api.web.WebPages;
import dev.engage.avro.Touchpoint;
import dev.engage.schemas.http.Problem;
import dev.engage.schemas.raw.RawEnvelope;
import dev.engage.schemas.signing.UnsubscribeToken;
import dev.engage.schemas.topics.TopicCatalog;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Optional;

/**
 * One-click unsubscribe (RFC 8058), the target of the {@code List-Unsubscribe} header delivery puts
 * on every email: {@code POST /v1/unsubscribe?token=...} with the body {@code
 * List-Unsubscribe=One-Click}, as mail clients send it, withdraws the consent of the channel the
 * {@link UnsubscribeToken} names, by the same {@code preferences_updated} touchpoint {@code PUT
 * /v1/customers/{id}/preferences} writes. {@code GET} of the same URL (a person following the link)
 * answers a page with a button that sends that POST, and changes nothing itself: mail scanners
 * fetch links, and must not unsubscribe anybody.
 *
 * <p>No API key (the routes have no roles, as {@code /health}): the signed token is the
 * authorization, and names one customer and one channel only. A missing token is 400, one this
 * API's secret did not sign 404 (a link that does not exist), and nothing is written for either.
 */
public final class UnsubscribeRoutes {
  public static final String PATH = "/v1/unsubscribe";
  private static final String SOURCE = "api:unsubscribe";

  private final EventPublisher publisher;
  private final TopicCatalog topics;
  private final Optional<UnsubscribeToken> tokens;
  private final Clock clock;

  /**
   * @param tokens checks the links' tokens; empty without {@code --unsubscribe-secret-file}, when
   *     every link is answered 404
   */
  public UnsubscribeRoutes(
      EventPublisher publisher,
      TopicCatalog topics,
      Optional<UnsubscribeToken> tokens,
      Clock clock) {
    this.publisher = publisher;
    this.topics = topics;
    this.tokens = tokens;
    this.clock = clock;
  }

  public void register(RouteTable routes) {
    routes.get(PATH, this::confirmPage);
    routes.post(PATH, this::unsubscribe);
  }

  private void confirmPage(Context ctx) {
    UnsubscribeToken.Subject subject = subject(ctx);
    WebPages.send(
        ctx,
        page(
            "Unsubscribe",
            "<p>Stop receiving "
                + label(subject.channel())
                + " from us?</p>\n"
                // no action: the form posts to this very URL, token included
                + "<form method=\"post\">\n"
                + "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\n"
                + "<button type=\"submit\">Unsubscribe</button>\n"
                + "</form>"));
  }

  private void unsubscribe(Context ctx) {
    UnsubscribeToken.Subject subject = subject(ctx);
    if (!"One-Click".equals(ctx.formParam("List-Unsubscribe"))) {
      throw Problem.badRequest(
          "a one-click unsubscribe is a POST of the form body List-Unsubscribe=One-Click"
              + " (RFC 8058)");
    }
    String consent = PreferencesBody.consentOf(subject.channel()).orElseThrow();
    Touchpoint withdrawal =
        PreferencesBody.read(
            Json.MAPPER.createObjectNode().put(consent, false),
            subject.customerId(),
            subject.channel(),
            SOURCE,
            clock.instant());
    publisher.publish(
        topics.touchpointsRaw(), subject.customerId(), RawEnvelope.of(withdrawal).toJson());
    String accept = ctx.header("Accept");
    if (accept != null && accept.contains("text/html")) {
      // a person who pressed the page's button
      WebPages.send(
          ctx,
          page(
              "Unsubscribed",
              "<p>Done: you will get no more " + label(subject.channel()) + ".</p>"));
      return;
    }
    Json.send(
        ctx,
        202,
        Json.MAPPER
            .createObjectNode()
            .put("eventId", withdrawal.getEventId())
            .put("customerId", subject.customerId())
            .put("channel", subject.channel())
            .put(consent, false));
  }

  /** The customer and channel of the request's token, or the problem with it. */
  private UnsubscribeToken.Subject subject(Context ctx) {
    UnsubscribeToken check =
        tokens.orElseThrow(
            () ->
                Problem.notFound(
                    "one-click unsubscribe is not configured on this API"
                        + " (--unsubscribe-secret-file)"));
    String token = ctx.queryParam("token");
    if (token == null || token.isBlank()) {
      throw Problem.badRequest("token: the unsubscribe link has no ?token=");
    }
    UnsubscribeToken.Subject subject =
        check
            .verify(token)
            .orElseThrow(
                () ->
                    Problem.notFound(
                        "this unsubscribe link is not valid (cut short or altered?); use the link"
                            + " in the message as it came"));
    // signed by us, so only a delivery bug gets here
    if (PreferencesBody.consentOf(subject.channel()).isEmpty()) {
      throw Problem.badRequest(
          "the link names channel '" + subject.channel() + "', which has no consent to withdraw");
    }
    if (!CustomerIds.isValid(subject.customerId())) {
      throw Problem.badRequest("the link names no valid customer id");
    }
    return subject;
  }

  private static String label(String channel) {
    return switch (channel) {
      case "email" -> "emails";
      case "sms" -> "text messages";
      default -> "push notifications";
    };
  }

  private static String page(String title, String body) {
    return "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width\">"
        + "<title>"
        + title
        + "</title></head>\n<body>\n<h1>"
        + title
        + "</h1>\n"
        + body
        + "\n</body>\n</html>\n";
  }
}

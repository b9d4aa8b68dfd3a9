package dev.engage.api.customers;

import dev.engage.api.auth.Authenticator;
import dev.engage.api.auth.Role;
import dev.engage.api.auth.StreamTokens;
import dev.engage.api.http.Json;
import dev.engage.api.http.RouteTable;
import dev.engage.schemas.http.Problem;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/customers/{id}/stream}: server-sent events with the customer's updates as they
 * happen (see {@link LiveUpdates}). The stream starts with a {@code ready} event once the
 * subscription to the customer's updates is confirmed; clients read the current state through the
 * other routes then and apply the events that follow, none of which is missed. When no subscription
 * can be made within {@link #SUBSCRIBE_TIMEOUT} (Redis unreachable), the stream closes instead and
 * the client reconnects later, as {@code EventSource} does by itself.
 *
 * <p>Browsers first {@code POST /v1/customers/{id}/stream-token} with their key and open the stream
 * with {@code ?token=}: {@code EventSource} cannot send an Authorization header. An app opens it
 * with its app token as {@code ?token=} ({@link AppTokenRoute}).
 */
public final class CustomerStreamRoute {
  private static final Logger LOG = LoggerFactory.getLogger(CustomerStreamRoute.class);

  /** The stream's route template; the only route that takes a stream token. */
  public static final String PATH = "/v1/customers/{id}/stream";

  static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(5);

  private final LiveUpdates live;
  private final StreamTokens tokens;

  public CustomerStreamRoute(LiveUpdates live, StreamTokens tokens) {
    this.live = live;
    this.tokens = tokens;
  }

  public void register(RouteTable routes) {
    routes.post(
        "/v1/customers/{id}/stream-token",
        this::token,
        Role.AGENT,
        Role.SERVICE); // apps: app token
    routes.sse(PATH, CustomerStreamRoute::check, this::stream, Role.AGENT, Role.APP, Role.SERVICE);
  }

  /** A token that opens this customer's stream for {@link StreamTokens#LIFETIME}. */
  private void token(Context ctx) {
    String id = CustomerIds.of(ctx);
    StreamTokens.Issued issued = tokens.issue(Authenticator.caller(ctx), id);
    ctx.header("Cache-Control", "no-store");
    Json.send(
        ctx,
        200,
        Json.MAPPER
            .createObjectNode()
            .put("customerId", id)
            .put("token", issued.token())
            .put("expiresAt", issued.expiresAt().toString())
            .put(
                "stream",
                "/v1/customers/"
                    + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20")
                    + "/stream?token="
                    + issued.token()));
  }

  /** Before the stream starts: a valid id, and a client that asks for an event stream. */
  private static void check(Context ctx) {
    CustomerIds.of(ctx);
    String accept = ctx.header("Accept");
    if (accept == null || !accept.contains("text/event-stream")) {
      throw new Problem(
          406,
          "not-acceptable",
          "Not acceptable",
          "this route answers with server-sent events: send Accept: text/event-stream");
    }
  }

  private void stream(SseClient client) {
    String id = client.ctx().pathParam("id");
    client.keepAlive();
    try {
      live.watch(id, client).get(SUBSCRIBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      LOG.warn("stream of {}: no Redis subscription within {}; closing it", id, SUBSCRIBE_TIMEOUT);
      client.close();
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      client.close();
      return;
    }
    client.sendEvent("ready", Json.MAPPER.createObjectNode().put("customerId", id).toString());
  }
}

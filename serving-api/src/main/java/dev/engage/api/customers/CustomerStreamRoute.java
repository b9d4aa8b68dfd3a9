package dev.engage.api.customers;

import dev.engage.api.auth.Role;
import dev.engage.api.http.Json;
import dev.engage.api.http.Problem;
import dev.engage.api.http.RouteTable;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;

/**
 * {@code GET /v1/customers/{id}/stream}: server-sent events with the customer's updates as they
 * happen (see {@link LiveUpdates}). The stream starts with a {@code ready} event; clients read the
 * current state through the other routes and apply the events that follow.
 */
public final class CustomerStreamRoute {
  private final LiveUpdates live;

  public CustomerStreamRoute(LiveUpdates live) {
    this.live = live;
  }

  public void register(RouteTable routes) {
    routes.sse(
        "/v1/customers/{id}/stream",
        CustomerStreamRoute::check,
        this::stream,
        Role.AGENT,
        Role.APP,
        Role.SERVICE);
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
    live.watch(id, client);
    client.sendEvent("ready", Json.MAPPER.createObjectNode().put("customerId", id).toString());
  }
}

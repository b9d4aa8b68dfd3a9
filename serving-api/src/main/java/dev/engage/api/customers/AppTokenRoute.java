package dev.engage.api.customers;

import dev.engage.api.auth.Authenticator;
import dev.engage.api.auth.Role;
import dev.engage.api.auth.StreamTokens;
import dev.engage.api.http.Json;
import dev.engage.api.http.RouteTable;
import io.javalin.http.Context;

/**
 * {@code POST /v1/customers/{id}/token}: the app's backend, with its service key, asks for an app
 * token for the customer signed in to the app; the app then calls this customer's routes with the
 * token as its bearer (or as {@code ?token=} on the stream), and no other customer's.
 */
public final class AppTokenRoute {
  private final StreamTokens tokens;

  public AppTokenRoute(StreamTokens tokens) {
    this.tokens = tokens;
  }

  public void register(RouteTable routes) {
    routes.post("/v1/customers/{id}/token", this::token, Role.SERVICE);
  }

  private void token(Context ctx) {
    String id = CustomerIds.of(ctx);
    StreamTokens.Issued issued = tokens.issueApp(Authenticator.caller(ctx), id);
    ctx.header("Cache-Control", "no-store");
    Json.send(
        ctx,
        200,
        Json.MAPPER
            .createObjectNode()
            .put("customerId", id)
            .put("token", issued.token())
            .put("expiresAt", issued.expiresAt().toString()));
  }
}

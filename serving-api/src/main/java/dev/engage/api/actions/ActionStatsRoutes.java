package dev.engage.api.actions;

import dev.engage.api.auth.Role;
import dev.engage.api.http.Json;
import dev.engage.api.http.RouteTable;
import io.javalin.http.Context;

/** {@code GET /v1/actions/stats}: per action, shown, accepted, the rate, treated vs control. */
public final class ActionStatsRoutes {
  private final ActionStats stats;

  public ActionStatsRoutes(ActionStats stats) {
    this.stats = stats;
  }

  public void register(RouteTable routes) {
    routes.get("/v1/actions/stats", this::stats, Role.MARKETER);
  }

  private void stats(Context ctx) {
    Json.send(ctx, 200, stats.toJson());
  }
}

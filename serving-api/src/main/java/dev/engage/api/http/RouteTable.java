package dev.engage.api.http;

import dev.engage.api.auth.Role;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Registers the API's routes on Javalin and remembers them (method, path, roles), so the OpenAPI
 * description can be checked against what is really served and the roles are declared beside the
 * route. A route with no roles takes no API key: {@code /health}, and the routes whose callers
 * prove themselves otherwise (providers' receipts by their webhook signature, one-click unsubscribe
 * by its signed token).
 */
public final class RouteTable {
  /** One served route. */
  public record Route(String method, String path, Set<Role> roles) {}

  private final Javalin app;
  private final List<Route> routes = new ArrayList<>();

  public RouteTable(Javalin app) {
    this.app = app;
  }

  public void get(String path, Handler handler, Role... roles) {
    add(HandlerType.GET, path, handler, roles);
  }

  public void post(String path, Handler handler, Role... roles) {
    add(HandlerType.POST, path, handler, roles);
  }

  public void put(String path, Handler handler, Role... roles) {
    add(HandlerType.PUT, path, handler, roles);
  }

  public void delete(String path, Handler handler, Role... roles) {
    add(HandlerType.DELETE, path, handler, roles);
  }

  /**
   * A server-sent-events route (a GET). {@code check} runs first and may still answer with a
   * problem; once the event stream starts, the status is sent.
   */
  public void sse(String path, Handler check, Consumer<SseClient> client, Role... roles) {
    SseHandler stream = new SseHandler(client);
    add(
        HandlerType.GET,
        path,
        ctx -> {
          check.handle(ctx);
          stream.handle(ctx);
        },
        roles);
  }

  public List<Route> routes() {
    return Collections.unmodifiableList(routes);
  }

  private void add(HandlerType method, String path, Handler handler, Role... roles) {
    routes.add(new Route(method.name(), path, Set.of(roles)));
    app.addHttpHandler(method, path, handler, roles);
  }
}

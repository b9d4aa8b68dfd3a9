package dev.engage.api.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.api.auth.Role;
import dev.engage.api.http.Json;
import dev.engage.api.http.RouteTable;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What operators and tools read: {@code /health} (public: Redis and Kafka reachability, 503 when
 * either is down), {@code /metrics} (Prometheus text) and {@code /openapi.json} (the API's
 * description, a resource written by hand and checked against the routes by a test).
 */
public final class OperatorRoutes {
  public static final String OPENAPI_RESOURCE = "/openapi.json";

  private final HealthCheck health;
  private final PrometheusMeterRegistry metrics;
  private final String openApi;

  public OperatorRoutes(HealthCheck health, PrometheusMeterRegistry metrics) {
    this.health = health;
    this.metrics = metrics;
    this.openApi = openApi();
  }

  public void register(RouteTable routes) {
    routes.get("/health", this::health);
    routes.get("/metrics", this::metrics, Role.SERVICE);
    routes.get("/openapi.json", this::openApi, Role.values());
  }

  private void health(Context ctx) {
    HealthCheck.Status redis = health.redis();
    HealthCheck.Status kafka = health.kafka();
    boolean up = redis.up() && kafka.up();
    ObjectNode body = Json.MAPPER.createObjectNode().put("status", up ? "up" : "down");
    body.set("redis", describe(redis));
    body.set("kafka", describe(kafka));
    if (!up) {
      ctx.header("Retry-After", "5");
    }
    Json.send(ctx, up ? 200 : 503, body);
  }

  private void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
  }

  private void openApi(Context ctx) {
    Json.sendRaw(ctx, openApi);
  }

  private static ObjectNode describe(HealthCheck.Status status) {
    ObjectNode node =
        Json.MAPPER.createObjectNode().put("up", status.up()).put("millis", status.millis());
    if (status.error() != null) {
      node.put("error", status.error());
    }
    return node;
  }

  /** The OpenAPI description from the classpath. */
  public static String openApi() {
    try (InputStream in = OperatorRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

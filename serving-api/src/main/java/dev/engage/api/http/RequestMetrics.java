package dev.engage.api.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Latency per route as a Prometheus histogram ({@code engage_api_request_seconds{method, route,
 * status}}); the route is the path template ({@code /v1/customers/{id}}), so customer ids never
 * become labels.
 */
public final class RequestMetrics {
  private final MeterRegistry registry;

  public RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(Context ctx, float millis) {
    String route = routeOf(ctx);
    Timer.builder("engage_api_request")
        .description("API requests by route template, method and status")
        .tag("method", ctx.method().name())
        .tag("route", route == null || route.isEmpty() ? "unmatched" : route)
        .tag("status", Integer.toString(ctx.statusCode()))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1).dividedBy(10))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry)
        .record(Duration.ofNanos((long) (millis * 1_000_000)));
  }

  private static String routeOf(Context ctx) {
    try {
      return ctx.endpointHandlerPath();
    } catch (RuntimeException e) { // no endpoint matched (a 404)
      return null;
    }
  }
}

package dev.engage.api.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Latency per route as a Prometheus histogram ({@code engage_api_request_seconds{method, route,
 * status}}); the route is the path template ({@code /v1/customers/{id}}), so customer ids never
 * become labels.
 */
public final class RequestMetrics {
  /** A timer's labels; its timer is built once, not looked up in the registry per request. */
  private record Labels(String method, String route, int status) {}

  private final MeterRegistry registry;
  private final Map<Labels, Timer> timers = new ConcurrentHashMap<>();

  public RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(Context ctx, float millis) {
    String route = routeOf(ctx);
    Labels labels =
        new Labels(
            ctx.method().name(),
            route == null || route.isEmpty() ? "unmatched" : route,
            ctx.statusCode());
    timers
        .computeIfAbsent(labels, this::timer)
        .record(Duration.ofNanos((long) (millis * 1_000_000)));
  }

  private Timer timer(Labels labels) {
    return Timer.builder("engage_api_request")
        .description("API requests by route template, method and status")
        .tag("method", labels.method())
        .tag("route", labels.route())
        .tag("status", Integer.toString(labels.status()))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1).dividedBy(10))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  private static String routeOf(Context ctx) {
    try {
      return ctx.endpointHandlerPath();
    } catch (RuntimeException e) { // no endpoint matched (a 404)
      return null;
    }
  }
}

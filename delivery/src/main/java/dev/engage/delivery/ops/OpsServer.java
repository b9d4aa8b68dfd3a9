package dev.engage.delivery.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Delivery's operator port: {@code GET /health} (200 once ready, else 503) and {@code GET /metrics}
 * (Prometheus text). The JDK's own HTTP server: two fixed routes need no framework.
 */
public final class OpsServer implements AutoCloseable {
  private final HttpServer server;

  public OpsServer(String host, int port, BooleanSupplier ready, DeliveryMetrics metrics) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
    server.createContext(
        "/health",
        exchange -> {
          boolean up = ready.getAsBoolean();
          answer(
              exchange,
              up ? 200 : 503,
              "application/json",
              up ? "{\"status\":\"ready\"}" : "{\"status\":\"starting\"}");
        });
    server.createContext(
        "/metrics",
        exchange ->
            answer(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

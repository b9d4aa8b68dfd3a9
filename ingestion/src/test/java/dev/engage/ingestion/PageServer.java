package dev.engage.ingestion;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A website for browser tests, on a free port of its own, so its pages are of another origin than
 * the collector: serves pages given to it and the browser SDKs' scripts from the installed npm
 * packages ({@code /node_modules/...}), as a site that hosts its SDK itself would.
 */
final class PageServer implements AutoCloseable {
  private final HttpServer server;

  private PageServer(HttpServer server) {
    this.server = server;
  }

  /** Starts serving {@code /node_modules/*} from {@code nodeModules}. */
  static PageServer start(Path nodeModules) throws IOException {
    Path root = nodeModules.toAbsolutePath().normalize();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/node_modules/",
        exchange -> {
          Path file =
              root.resolve(exchange.getRequestURI().getPath().substring("/node_modules/".length()))
                  .normalize();
          if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            answer(exchange, 404, "text/plain", new byte[0]);
          } else {
            answer(exchange, 200, "text/javascript", Files.readAllBytes(file));
          }
        });
    server.start();
    return new PageServer(server);
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Serves {@code html} at {@code path}. */
  void page(String path, String html) {
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    server.createContext(
        path, exchange -> answer(exchange, 200, "text/html; charset=utf-8", bytes));
  }

  private static void answer(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

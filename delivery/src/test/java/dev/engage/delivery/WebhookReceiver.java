package dev.engage.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.engage.schemas.signing.WebhookSignature;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A real HTTP server standing in for SMS and push providers in tests: it records every request,
 * checks its Standard Webhooks signature, and answers as a provider would, dropping a repeated
 * Idempotency-Key (answering the first answer again). What it answers can be changed while it runs.
 */
final class WebhookReceiver implements AutoCloseable {
  /** One request as it arrived. */
  record Request(
      String path,
      String idempotencyKey,
      String webhookId,
      boolean signatureValid,
      JsonNode body,
      Instant at,
      int answered,
      boolean repeat) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final WebhookSignature signature;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> accepted = new ConcurrentHashMap<>();
  private volatile Function<JsonNode, Integer> answer = body -> 200;

  WebhookReceiver(String secret) throws IOException {
    this.signature = WebhookSignature.of(secret);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** From now on answers each new request with the status the function gives for its body. */
  void answer(Function<JsonNode, Integer> answer) {
    this.answer = answer;
  }

  List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /** Requests the receiver took on: answered 2xx, and not a repeat of a key it took before. */
  List<Request> delivered() {
    return requests.stream().filter(r -> r.answered() / 100 == 2 && !r.repeat()).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    var headers = exchange.getRequestHeaders();
    String key = headers.getFirst("Idempotency-Key");
    boolean valid =
        signature.verify(
            headers.getFirst(WebhookSignature.ID),
            headers.getFirst(WebhookSignature.TIMESTAMP),
            body,
            headers.getFirst(WebhookSignature.SIGNATURE),
            Instant.now());
    JsonNode json = JSON.readTree(body);
    int status;
    boolean repeat = key != null && accepted.containsKey(key);
    if (repeat) {
      status = 200;
    } else {
      status = valid ? answer.apply(json) : 401;
      if (status / 100 == 2 && key != null) {
        accepted.put(key, status);
      }
    }
    requests.add(
        new Request(
            exchange.getRequestURI().getPath(),
            key,
            headers.getFirst(WebhookSignature.ID),
            valid,
            json,
            Instant.now(),
            status,
            repeat));
    byte[] reply =
        ("{\"messageId\":\"prov-" + (key == null ? "none" : key) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    if (status == 429 || status == 503) {
      exchange.getResponseHeaders().set("Retry-After", "1");
    }
    exchange.sendResponseHeaders(status, reply.length);
    try (var out = exchange.getResponseBody()) {
      out.write(reply);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

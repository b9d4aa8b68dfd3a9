package dev.engage.launcher.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.launcher.generate.Emitted.Target;
import dev.engage.launcher.ingest.PosReceipts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Sends the scenario through the collector as its real sources would: Segment batches of 100 with
 * the website's and the app's write keys, receipts as the store's point-of-sale import sends them,
 * each contact-center webhook on its own, bookings and flight statuses as JSON arrays. Buffers are
 * sent when full and whenever simulated time passes a ten-minute mark, so no source runs more than
 * ten simulated minutes ahead of another (later events would otherwise arrive late for the rules'
 * timers). A refused request stops the run with the collector's answer.
 */
public final class StackSink implements EventSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BATCH = 100;
  private static final Duration STEP = Duration.ofMinutes(10);

  private final URI collector;
  private final Map<Target, String> authorization = new EnumMap<>(Target.class);
  private final Map<Target, List<ObjectNode>> pending = new EnumMap<>(Target.class);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Instant flushedUpTo = Instant.MIN;

  /**
   * @param writeKeys the write key of each source: website, mobile-app, call-center, store-pos,
   *     flight-ops
   */
  public StackSink(URI collector, Map<Target, String> writeKeys) {
    this.collector = collector;
    writeKeys.forEach(
        (target, key) ->
            authorization.put(
                target,
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString((key + ":").getBytes(StandardCharsets.UTF_8))));
    for (Target target : Target.values()) {
      pending.put(target, new ArrayList<>());
    }
  }

  @Override
  public void accept(Emitted event) {
    if (flushedUpTo == Instant.MIN) {
      flushedUpTo = event.at();
    }
    if (event.at().isAfter(flushedUpTo.plus(STEP))) {
      flush();
      flushedUpTo = event.at();
    }
    List<ObjectNode> buffer = pending.get(event.target());
    buffer.add(event.target() == Target.POS ? PosReceipts.toEvent(event.body()) : event.body());
    if (event.target() == Target.CALL_CENTER || buffer.size() >= BATCH) {
      send(event.target());
    }
  }

  @Override
  public void flush() {
    // operational data first: a disruption should find its bookings and schedule in place
    for (Target target :
        List.of(
            Target.FLIGHT_STATUS,
            Target.BOOKING,
            Target.WEB,
            Target.APP,
            Target.POS,
            Target.CALL_CENTER)) {
      send(target);
    }
  }

  private void send(Target target) {
    List<ObjectNode> buffer = pending.get(target);
    if (buffer.isEmpty()) {
      return;
    }
    if (target == Target.CALL_CENTER) {
      buffer.forEach(call -> post(target, "/v1/call-center/events", call.toString()));
      buffer.clear();
      return;
    }
    String path;
    String body;
    switch (target) {
      case BOOKING, FLIGHT_STATUS -> {
        path = target == Target.BOOKING ? "/v1/bookings" : "/v1/flights/status";
        ArrayNode array = JSON.createArrayNode();
        buffer.forEach(array::add);
        body = array.toString();
      }
      default -> {
        path = "/v1/batch";
        ObjectNode batch = JSON.createObjectNode();
        ArrayNode events = batch.putArray("batch");
        buffer.forEach(events::add);
        body = batch.toString();
      }
    }
    post(target, path, body);
    buffer.clear();
  }

  private void post(Target target, String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(collector.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", authorization.get(target))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200 || answer.statusCode() == 202) {
          return;
        }
        if (answer.statusCode() < 500 || attempt == 5) {
          throw new IllegalStateException(
              "the collector refused " + path + " (" + answer.statusCode() + "): " + answer.body());
        }
      } catch (IOException e) {
        if (attempt == 5) {
          throw new IllegalStateException(
              "the collector at " + collector + " is unreachable: " + e.getMessage(), e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      sleep(500L * attempt);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    flush();
  }
}

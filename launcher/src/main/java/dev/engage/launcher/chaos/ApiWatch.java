package dev.engage.launcher.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reads one customer from the serving API ten times a second, as an agent's console does, and sorts
 * the answers: 2xx, 503 with Retry-After (a store down, said so), anything else (a 500, a 503
 * without Retry-After: a failure), no answer within {@link #HANG} (a failure), or no connection at
 * all (the API's own process is down, which the faults cause on purpose).
 */
final class ApiWatch implements Runnable {
  static final Duration HANG = Duration.ofSeconds(5);
  private static final Duration EVERY = Duration.ofMillis(100);

  private final URI url;
  private final String bearer;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();

  ApiWatch(URI api, String customerId, String key) {
    this.url = api.resolve("/v1/customers/" + customerId);
    this.bearer = "Bearer " + key;
  }

  void stop() {
    stop.set(true);
  }

  /** How many answers of each kind: {@code 2xx}, {@code 503+Retry-After}, {@code unreachable}... */
  Map<String, Long> answers() {
    Map<String, Long> counts = new TreeMap<>();
    answers.forEach((kind, n) -> counts.put(kind, n.sum()));
    return counts;
  }

  /** Answers that break the promise: not 2xx, not 503 with Retry-After, not the API down. */
  long failures() {
    return answers().entrySet().stream()
        .filter(e -> !e.getKey().equals("2xx"))
        .filter(e -> !e.getKey().equals("503+Retry-After"))
        .filter(e -> !e.getKey().equals("unreachable"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  @Override
  public void run() {
    while (!stop.get()) {
      answers.computeIfAbsent(ask(), k -> new LongAdder()).increment();
      try {
        Thread.sleep(EVERY.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private String ask() {
    try {
      HttpResponse<Void> answer =
          http.send(
              HttpRequest.newBuilder(url).header("Authorization", bearer).timeout(HANG).build(),
              HttpResponse.BodyHandlers.discarding());
      int status = answer.statusCode();
      if (status / 100 == 2) {
        return "2xx";
      }
      if (status == 503 && answer.headers().firstValue("Retry-After").isPresent()) {
        return "503+Retry-After";
      }
      return Integer.toString(status);
    } catch (HttpTimeoutException e) {
      return "no answer in " + HANG.toSeconds() + " s";
    } catch (IOException e) {
      return "unreachable";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unreachable";
    }
  }
}

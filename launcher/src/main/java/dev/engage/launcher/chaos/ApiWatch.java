package dev.engage.launcher.chaos;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
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
 * all (the API's own process is down, which the faults cause on purpose; a connection not made
 * within {@link #CONNECT} is counted apart, as the kernel, not the API, answers a connect). Each
 * failure is printed as it happens, with the time, so that it can be matched with the logs.
 */
final class ApiWatch implements Runnable {
  static final Duration HANG = Duration.ofSeconds(5);
  private static final Duration CONNECT = Duration.ofSeconds(1);
  private static final String NO_CONNECTION = "no connection in " + CONNECT.toSeconds() + " s";
  private static final Duration EVERY = Duration.ofMillis(100);

  private final URI url;
  private final String bearer;
  private final PrintWriter out;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT).build();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();

  ApiWatch(URI api, String customerId, String key, PrintWriter out) {
    this.url = api.resolve("/v1/customers/" + customerId);
    this.bearer = "Bearer " + key;
    this.out = out;
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
        .filter(e -> brokenPromise(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private static boolean brokenPromise(String kind) {
    return !kind.equals("2xx")
        && !kind.equals("503+Retry-After")
        && !kind.equals("unreachable")
        && !kind.equals(NO_CONNECTION);
  }

  @Override
  public void run() {
    long began = System.nanoTime();
    while (!stop.get()) {
      String kind = ask();
      answers.computeIfAbsent(kind, k -> new LongAdder()).increment();
      if (brokenPromise(kind)) {
        out.printf(
            "chaos: %.1f s: the API broke its promise: %s%n",
            (System.nanoTime() - began) / 1e9, kind);
      }
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
    } catch (HttpConnectTimeoutException e) {
      return NO_CONNECTION;
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

package dev.engage.launcher.chaos;

import dev.engage.launcher.ingest.CollectorAuth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A steady stream of probe touchpoints through the collector, as a website's SDK sends them: one
 * batch per tick with the next probe of each of a set of customers, each probe carrying the
 * customer's sequence number and a message id made of it. A batch the collector does not take
 * (down, restarting, 5xx) is sent again, unchanged, until it does: the normalizer drops the
 * duplicates a retry may make by message id, so every probe counts once downstream.
 */
final class ProbeTraffic implements Runnable {
  static final String EVENT = "chaos_probe";
  private static final Duration RETRY = Duration.ofMillis(250);

  private final URI batchUrl;
  private final String authorization;
  private final String run;
  private final int customers;
  private final Duration tick;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLongArray sent;
  private final AtomicLong retries = new AtomicLong();

  /**
   * @param run this run's id, in every customer id and message id
   * @param rate probes per second over all customers
   */
  ProbeTraffic(URI collector, String writeKey, String run, int customers, double rate) {
    this.batchUrl = collector.resolve("/v1/batch");
    this.authorization = CollectorAuth.header(writeKey);
    this.run = run;
    this.customers = customers;
    this.tick = Duration.ofNanos((long) (customers / rate * 1e9));
    this.sent = new AtomicLongArray(customers);
  }

  String customer(int index) {
    return "chaos-" + run + "-" + index;
  }

  /** True for the id of one of this traffic's customers. */
  boolean isOurs(String customerId) {
    return customerId.startsWith("chaos-" + run + "-")
        && customerId.substring(("chaos-" + run + "-").length()).matches("\\d+");
  }

  int customers() {
    return customers;
  }

  /** Probes the collector took for the customer so far. */
  long sent(int index) {
    return sent.get(index);
  }

  long totalSent() {
    long total = 0;
    for (int i = 0; i < customers; i++) {
      total += sent.get(i);
    }
    return total;
  }

  /** Batches sent again after the collector did not take them. */
  long retries() {
    return retries.get();
  }

  void stop() {
    stop.set(true);
  }

  @Override
  public void run() {
    long next = System.nanoTime();
    for (long round = 1; !stop.get(); round++) {
      String batch = batch(round);
      // a batch is sent until the collector takes it, even after stop(): one whose answer was
      // lost may have been taken, and only a definite answer says whether to count it
      while (!accepted(batch)) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        retries.incrementAndGet();
        sleep(RETRY.toNanos());
      }
      for (int i = 0; i < customers; i++) {
        sent.incrementAndGet(i);
      }
      next += tick.toNanos();
      sleep(next - System.nanoTime());
    }
  }

  private String batch(long round) {
    StringBuilder batch = new StringBuilder("{\"batch\":[");
    for (int i = 0; i < customers; i++) {
      batch
          .append(i == 0 ? "" : ",")
          .append("{\"type\":\"track\",\"userId\":\"")
          .append(customer(i))
          .append("\",\"event\":\"")
          .append(EVENT)
          .append("\",\"messageId\":\"")
          .append(customer(i))
          .append('-')
          .append(round)
          .append("\",\"properties\":{\"seq\":")
          .append(round)
          .append("}}");
    }
    return batch.append("]}").toString();
  }

  private boolean accepted(String batch) {
    try {
      return http.send(
                  HttpRequest.newBuilder(batchUrl)
                      .header("Authorization", authorization)
                      .header("Content-Type", "application/json")
                      .timeout(Duration.ofSeconds(10))
                      .POST(HttpRequest.BodyPublishers.ofString(batch))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(long nanos) {
    if (nanos <= 0) {
      return;
    }
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.engage.launcher.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.avro.DeadLetter;
import dev.engage.launcher.stack.ServiceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Imports a point-of-sale export through the collector, like any other source: receipts go in
 * batches of 100 to {@code /v1/batch} with the source's write key; lines that cannot be receipts go
 * to {@code touchpoints.dlq} with their line number and reason. Shows progress.
 */
final class PosImporter {
  /** What an import did. */
  record Summary(long lines, int receipts, List<PosLine> bad) {}

  private static final int BATCH = 100;
  private static final int ATTEMPTS = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI batchEndpoint;
  private final String authorization;
  private final Producer<String, DeadLetter> deadLetters;
  private final String deadLetterTopic;
  private final PrintWriter out;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final List<PosLine> pending = new ArrayList<>();
  private final List<PosLine> bad = new ArrayList<>();
  private Progress progress;
  private int receipts;
  private String source;

  PosImporter(
      URI collector,
      String writeKey,
      Producer<String, DeadLetter> deadLetters,
      String deadLetterTopic,
      PrintWriter out) {
    this.batchEndpoint = collector.resolve("/v1/batch");
    this.authorization = CollectorAuth.header(writeKey);
    this.deadLetters = deadLetters;
    this.deadLetterTopic = deadLetterTopic;
    this.out = out;
  }

  Summary run(Path file) throws IOException {
    long lines;
    try (Stream<String> all = Files.lines(file)) {
      lines = all.count();
    }
    source = "pos-file:" + file.getFileName();
    progress = new Progress(out, lines);
    PosFileReader.read(file, this::take);
    sendPending();
    deadLetters.flush();
    progress.done();
    return new Summary(lines, receipts, List.copyOf(bad));
  }

  private void take(PosLine line) {
    if (line.isBad()) {
      reject(line, line.reason());
    } else {
      pending.add(line);
      if (pending.size() == BATCH) {
        sendPending();
      }
    }
    progress.at(line.lines().get(line.lines().size() - 1));
  }

  private void sendPending() {
    if (pending.isEmpty()) {
      return;
    }
    ObjectNode body = JSON.createObjectNode();
    ArrayNode batch = body.putArray("batch");
    pending.forEach(line -> batch.add(line.event()));
    HttpResponse<String> answer = post(body.toString());
    if (answer.statusCode() == 200) {
      receipts += pending.size();
    } else if (answer.statusCode() == 400) {
      // the collector refuses a batch whole; send its good receipts again without the bad ones
      List<PosLine> retry = new ArrayList<>(pending);
      for (JsonNode error : readTree(answer.body()).path("errors")) {
        PosLine refused = pending.get(error.path("index").asInt());
        retry.remove(refused);
        reject(refused, "refused by the collector: " + error.path("problems"));
      }
      pending.clear();
      pending.addAll(retry);
      if (retry.size() < batch.size()) {
        sendPending();
        return;
      }
      throw new ServiceException("the collector refused a batch: " + answer.body());
    } else {
      throw new ServiceException(
          "the collector answered "
              + answer.statusCode()
              + ": "
              + answer.body()
              + ". "
              + receipts
              + " receipts were stored; running the import again is safe (receipts are deduplicated).");
    }
    pending.clear();
  }

  private HttpResponse<String> post(String body) {
    Exception last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        HttpResponse<String> answer =
            http.send(
                HttpRequest.newBuilder(batchEndpoint)
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() < 500) {
          return answer;
        }
        last = new IOException("HTTP " + answer.statusCode() + ": " + answer.body());
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ServiceException("interrupted");
      }
      sleep(250L << attempt);
    }
    throw new ServiceException(
        "the collector at "
            + batchEndpoint
            + " failed "
            + ATTEMPTS
            + " times ("
            + last
            + "). "
            + receipts
            + " receipts were stored; running the import again is safe (receipts are deduplicated).");
  }

  private void reject(PosLine line, String reason) {
    PosLine rejected = PosLine.bad(line.lines(), reason, line.text());
    bad.add(rejected);
    String location = source.substring("pos-file:".length()) + ":" + line.lines().get(0);
    deadLetters.send(
        new ProducerRecord<>(
            deadLetterTopic,
            source,
            DeadLetter.newBuilder()
                .setOriginalValue(ByteBuffer.wrap(line.text().getBytes(StandardCharsets.UTF_8)))
                .setReason(reason)
                .setSource(source)
                .setLocation(location)
                .setFailedAt(Instant.now())
                .build()));
  }

  private static JsonNode readTree(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

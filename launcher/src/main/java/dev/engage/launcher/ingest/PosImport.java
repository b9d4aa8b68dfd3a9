package dev.engage.launcher.ingest;

import dev.engage.avro.DeadLetter;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Wires a {@link PosImporter} to a collector and Kafka cluster and prints its report. */
public final class PosImport {
  /** Exit code when some lines were bad (the good ones were ingested). */
  public static final int SOME_LINES_BAD = 3;

  private static final int LISTED = 50;

  private PosImport() {}

  /**
   * Imports the file and prints the report.
   *
   * @return 0 when every line was ingested, {@link #SOME_LINES_BAD} otherwise
   */
  public static int run(
      URI collector,
      String bootstrapServers,
      TopicCatalog topics,
      Path file,
      String writeKey,
      PrintWriter out)
      throws IOException {
    Topic<String, DeadLetter> dlq = topics.touchpointsDlq();
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    out.println("engage: ingesting " + file + " through " + collector);
    PosImporter.Summary summary;
    try (KafkaProducer<String, DeadLetter> producer =
        new KafkaProducer<>(props, dlq.keySerde().serializer(), dlq.valueSerde().serializer())) {
      summary = new PosImporter(collector, writeKey, producer, dlq.name(), out).run(file);
    }
    out.printf(
        "engage: ingested %,d receipts from %,d lines%n", summary.receipts(), summary.lines());
    if (summary.bad().isEmpty()) {
      return 0;
    }
    out.printf("engage: %d bad lines, sent to %s:%n", summary.bad().size(), dlq.name());
    summary.bad().stream()
        .limit(LISTED)
        .forEach(line -> out.printf("  line %s: %s%n", lineNumbers(line), line.reason()));
    if (summary.bad().size() > LISTED) {
      out.printf("  ... and %d more (all in %s)%n", summary.bad().size() - LISTED, dlq.name());
    }
    return SOME_LINES_BAD;
  }

  private static String lineNumbers(PosLine line) {
    List<Integer> lines = line.lines();
    return lines.size() == 1
        ? lines.get(0).toString()
        : lines.get(0) + "-" + lines.get(lines.size() - 1);
  }
}

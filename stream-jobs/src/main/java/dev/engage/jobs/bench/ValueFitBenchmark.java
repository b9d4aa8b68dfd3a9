package dev.engage.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.avro.CustomerProfile;
import dev.engage.jobs.ProfileTopicScan;
import dev.engage.jobs.value.BgNbd;
import dev.engage.jobs.value.BtydSimulator;
import dev.engage.jobs.value.BtydSimulator.SimulatedCustomer;
import dev.engage.jobs.value.GammaGamma;
import dev.engage.jobs.value.ValueModelFit;
import dev.engage.schemas.topics.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code engage bench value}, in its own JVM on the stream-jobs classpath against the running
 * stack's broker and registry, on throw-away topics of its own:
 *
 * <ol>
 *   <li>customers are simulated from BG/NBD and Gamma-Gamma with known parameters (2 years
 *       observed, first purchases over the first) and their profiles written to a profiles topic;
 *   <li>the baseline: a scan of that topic that only counts the profiles;
 *   <li>{@code engage value fit} over it: the same scan, the histories, both fits, the publish.
 * </ol>
 *
 * Prints profiles/s of both, the fit's ratio to the scan, the models' share of the time, and the
 * fitted parameters beside the true ones.
 */
@Command(name = "value-fit-benchmark", mixinStandardHelpOptions = true)
public final class ValueFitBenchmark implements Callable<Integer> {
  private static final BgNbd TRUE_PURCHASES = new BgNbd(0.5, 20, 0.8, 4.0);
  private static final GammaGamma TRUE_SPEND = new GammaGamma(6, 4, 15);
  private static final double CALIBRATION_DAYS = 730;

  @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092")
  String bootstrapServers;

  @Option(names = "--registry-url", defaultValue = "http://localhost:8081")
  String registryUrl;

  @Option(names = "--customers", defaultValue = "1000000")
  int customers;

  @Option(names = "--seed", defaultValue = "17")
  long seed;

  @Option(names = "--out", required = true)
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ValueFitBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    BenchStack stack = new BenchStack("value", bootstrapServers, registryUrl, null);
    TopicCatalog topics = stack.createTopics(List.of("profiles", "rules", "rules.history"), 1);
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("customers", customers);
    try {
      Instant calibrationEnd = Instant.parse("2026-12-01T00:00:00Z");
      write(topics, calibrationEnd.minus(Duration.ofDays((long) CALIBRATION_DAYS)));

      long scanStart = System.nanoTime();
      long[] scanned = {0};
      new ProfileTopicScan(bootstrapServers, registryUrl, topics.profiles().name())
          .scan(batch -> scanned[0] += batch.size(), System.out);
      double scanSeconds = (System.nanoTime() - scanStart) / 1e9;
      System.out.printf(
          "bench value: baseline, a scan of the profiles topic: %,.0f profiles/s (%,d in %.1f s)%n",
          scanned[0] / scanSeconds, scanned[0], scanSeconds);

      ValueModelFit fit = new ValueModelFit();
      new CommandLine(fit)
          .parseArgs(
              "--bootstrap-servers", bootstrapServers,
              "--registry-url", registryUrl,
              "--profiles-topic", topics.profiles().name(),
              "--rules-topic", topics.rules().name(),
              "--rules-history-topic", topics.rulesHistory().name(),
              "--as-of", calibrationEnd.toString());
      ValueModelFit.Result result = fit.fit();
      double fitSeconds = result.took().toNanos() / 1e9;
      double modelSeconds = result.fitting().toNanos() / 1e9;
      System.out.printf(
          "bench value: engage value fit: %,.0f profiles/s (%.1f s, %.3f of the scan's rate);"
              + " the two models' fits %.1f s of it%n",
          customers / fitSeconds, fitSeconds, scanSeconds / fitSeconds, modelSeconds);
      System.out.printf(
          "bench value: fitted r %.3f (true %.1f), alpha %.2f (%.0f), a %.3f (%.1f), b %.3f (%.1f);"
              + " p %.3f (%.0f), q %.3f (%.0f), gamma %.2f (%.0f)%n",
          result.purchases().r(),
          TRUE_PURCHASES.r(),
          result.purchases().alpha(),
          TRUE_PURCHASES.alpha(),
          result.purchases().a(),
          TRUE_PURCHASES.a(),
          result.purchases().b(),
          TRUE_PURCHASES.b(),
          result.spend().p(),
          TRUE_SPEND.p(),
          result.spend().q(),
          TRUE_SPEND.q(),
          result.spend().gamma(),
          TRUE_SPEND.gamma());
      results.put("scanPerSecond", Math.round(scanned[0] / scanSeconds));
      results.put("fitPerSecond", Math.round(customers / fitSeconds));
      results.put("fitVsScan", Math.round(scanSeconds / fitSeconds * 1000) / 1000.0);
      results.put("fitSeconds", Math.round(fitSeconds * 10) / 10.0);
      results.put("modelFitSeconds", Math.round(modelSeconds * 10) / 10.0);
      results.put("fitted", Map.of("purchases", result.purchases(), "spend", result.spend()));
    } finally {
      stack.deleteTopics(topics);
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(
        out, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(results));
    return 0;
  }

  private void write(TopicCatalog topics, Instant calibrationStart) {
    System.out.printf(
        "bench value: simulating %,d customers and writing their profiles%n", customers);
    List<SimulatedCustomer> simulated =
        new BtydSimulator(TRUE_PURCHASES, TRUE_SPEND, 365, CALIBRATION_DAYS, 365)
            .simulate(customers, seed);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    try (KafkaProducer<String, CustomerProfile> producer =
        new KafkaProducer<>(
            props,
            topics.profiles().keySerde().serializer(),
            topics.profiles().valueSerde().serializer())) {
      for (int i = 0; i < simulated.size(); i++) {
        String id = "bench-value-" + i;
        CustomerProfile profile =
            CustomerProfile.newBuilder()
                .setCustomerId(id)
                .setVersion(1)
                .setFirstSeen(calibrationStart)
                .setLastSeen(calibrationStart.plus(Duration.ofDays((long) CALIBRATION_DAYS)))
                .setUpdatedAt(calibrationStart)
                .setPurchaseDays(simulated.get(i).purchaseDays(calibrationStart))
                .build();
        producer.send(new ProducerRecord<>(topics.profiles().name(), id, profile));
      }
      producer.flush();
    }
  }
}

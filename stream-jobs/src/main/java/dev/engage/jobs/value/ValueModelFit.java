package dev.engage.jobs.value;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.PurchaseDays;
import dev.engage.jobs.ProfileTopicScan;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.definition.ValueModel;
import dev.engage.rules.store.RuleStore;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.TopicCatalog;
import dev.engage.schemas.topics.TopicSettings;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code engage value fit}: fits the value models over every customer who has purchased, as the
 * compacted {@code profiles} topic has them, and publishes the parameters as the {@code
 * value_model} definition on the rules topic, where the profile job picks them up without a restart
 * (each customer's figures move with their next version). Run it on a schedule: a nightly refit
 * follows how customers buy; the live job applies the parameters in between.
 */
@Command(
    name = "value-model-fit",
    mixinStandardHelpOptions = true,
    description = "Fit BG/NBD and Gamma-Gamma over the profiles topic and publish the value model.")
public final class ValueModelFit implements Callable<Integer> {
  /** The id the fit publishes under: each fit is a new version of the same definition. */
  public static final String ID = "lifetime-value";

  /** Fewer customers than this say too little about a population to fit four parameters. */
  static final int MIN_CUSTOMERS = 100;

  @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092")
  String bootstrapServers;

  @Option(names = "--registry-url", defaultValue = "http://localhost:8081")
  String registryUrl;

  @Option(names = "--profiles-topic", defaultValue = "profiles")
  String profilesTopic;

  @Option(names = "--rules-topic", defaultValue = "rules")
  String rulesTopic;

  @Option(names = "--rules-history-topic", defaultValue = "rules.history")
  String rulesHistoryTopic;

  @Option(
      names = "--as-of",
      description = "The end of the calibration period, a UTC date-time (default: now).")
  Instant asOf;

  private final PrintStream out;

  public ValueModelFit() {
    this(System.out);
  }

  ValueModelFit(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ValueModelFit()).execute(args));
  }

  /**
   * What a fit did.
   *
   * @param customers customers who have purchased, the histories fitted
   * @param repeatCustomers those with a repeat purchase day, the spend model's sample
   * @param version the published version of {@link #ID}
   * @param fitting the time the two models' fits took, of the whole run ({@code took})
   */
  public record Result(
      int customers,
      int repeatCustomers,
      BgNbd purchases,
      GammaGamma spend,
      int version,
      Duration fitting,
      Duration took) {}

  @Override
  public Integer call() {
    Result result;
    try {
      result = fit();
    } catch (IllegalStateException e) {
      out.println("value fit: " + e.getMessage());
      return 1;
    }
    out.printf(
        "value fit: %,d customers (%,d with a repeat purchase) in %.1f s%n"
            + "  purchases (BG/NBD, days): r %.4f, alpha %.4f, a %.4f, b %.4f%n"
            + "  spend (Gamma-Gamma): p %.4f, q %.4f, gamma %.4f%n"
            + "  published %s version %d%n",
        result.customers(),
        result.repeatCustomers(),
        result.took().toMillis() / 1000.0,
        result.purchases().r(),
        result.purchases().alpha(),
        result.purchases().a(),
        result.purchases().b(),
        result.spend().p(),
        result.spend().q(),
        result.spend().gamma(),
        ID,
        result.version());
    return 0;
  }

  /** Reads the histories, fits both models and publishes them. */
  public Result fit() {
    long start = System.nanoTime();
    Instant calibrationEnd = asOf != null ? asOf : Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Map<String, PurchaseDays> latest = new HashMap<>();
    new ProfileTopicScan(bootstrapServers, registryUrl, profilesTopic)
        .scan(batch -> batch.forEach(record -> keep(latest, record)), out);
    List<PurchaseHistory> histories =
        latest.values().stream().map(days -> PurchaseHistories.of(days, calibrationEnd)).toList();
    long repeat = histories.stream().filter(h -> h.frequency() > 0).count();
    if (histories.size() < MIN_CUSTOMERS || repeat < MIN_CUSTOMERS) {
      throw new IllegalStateException(
          String.format(
              "%,d customers have purchased, %,d of them on more than one day; a fit needs at"
                  + " least %d of each",
              histories.size(), repeat, MIN_CUSTOMERS));
    }
    out.printf("value fit: fitting %,d purchase histories%n", histories.size());
    long fitStart = System.nanoTime();
    BgNbd purchases = ModelFit.bgNbd(histories);
    GammaGamma spend = ModelFit.gammaGamma(histories);
    Duration fitting = Duration.ofNanos(System.nanoTime() - fitStart);
    int version =
        store()
            .publish(
                definition(purchases, spend, histories.size(), calibrationEnd),
                "yaml",
                "engage value fit")
            .version();
    return new Result(
        histories.size(),
        (int) repeat,
        purchases,
        spend,
        version,
        fitting,
        Duration.ofNanos(System.nanoTime() - start));
  }

  /** The customer's latest purchase days; gone once erased, merged away or never bought. */
  private static void keep(
      Map<String, PurchaseDays> latest, ConsumerRecord<String, CustomerProfile> record) {
    CustomerProfile profile = record.value();
    if (profile == null
        || profile.getErasedAt() != null
        || profile.getMergedInto() != null
        || profile.getPurchaseDays() == null) {
      latest.remove(record.key());
    } else {
      latest.put(record.key(), profile.getPurchaseDays());
    }
  }

  private static String definition(
      BgNbd purchases, GammaGamma spend, int customers, Instant fittedAt) {
    return String.join(
        "\n",
        "kind: " + ValueModel.KIND,
        "id: " + ID,
        "name: Customer lifetime value (BG/NBD and Gamma-Gamma, fitted by engage value fit)",
        "purchases: {r: %s, alpha: %s, a: %s, b: %s}"
            .formatted(
                plain(purchases.r()),
                plain(purchases.alpha()),
                plain(purchases.a()),
                plain(purchases.b())),
        "spend: {p: %s, q: %s, gamma: %s}"
            .formatted(plain(spend.p()), plain(spend.q()), plain(spend.gamma())),
        "fittedOn: " + customers,
        "fittedAt: " + fittedAt,
        "");
  }

  /** Every digit, never an exponent (which YAML would read as text when it has no sign). */
  private static String plain(double value) {
    return BigDecimal.valueOf(value).toPlainString();
  }

  private RuleStore store() {
    TopicCatalog topics =
        new TopicCatalog(
            new TopicSettings(
                1,
                (short) 1,
                Map.of("rules", rulesTopic, "rules.history", rulesHistoryTopic),
                Map.of()),
            new SchemaRegistryClient(registryUrl));
    return new RuleStore(
        bootstrapServers,
        topics.rules(),
        topics.rulesHistory(),
        new DefinitionParser(new ConditionCompiler()));
  }
}

package dev.engage.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.Touchpoint;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** engage rules validate / apply / list / delete against the real broker and registry. */
@ExtendWith(SharedStack.class)
class RulesCommandIT {
  private static final String RULE =
      """
      id: big-basket
      name: Big basket
      when:
        kind: event
        condition: "event.type == 'purchase' && event.amount > %s"
      action: {code: THANK_YOU, notify: email, template: "Thanks!"}
      """;

  @TempDir Path dir;
  private final StringWriter output = new StringWriter();

  @Test
  void validateReportsProblemsAsFileLineColumn() throws Exception {
    Path good = Files.writeString(dir.resolve("good.yaml"), RULE.formatted("100.0"));
    Path bad =
        Files.writeString(
            dir.resolve("bad.yaml"),
            RULE.formatted("100.0").replace("event.amount", "event.amont"));

    assertThat(run(null, "validate", good.toString())).isZero();
    assertThat(output.toString()).contains("good.yaml: ok (big-basket, rule, event)");
    assertThat(run(null, "validate", bad.toString())).isEqualTo(1);
    assertThat(output.toString())
        .contains("bad.yaml:5:", "undefined field 'amont'", "did you mean 'amount'?");
  }

  @Test
  void applyPublishesVersionsAndListAndDeleteShowThem(StackConfig config) throws Exception {
    Path rule = Files.writeString(dir.resolve("rule.yaml"), RULE.formatted("100.0"));

    assertThat(run(config, "apply", rule.toString())).isZero();
    assertThat(run(config, "apply", rule.toString())).isZero();
    Files.writeString(rule, RULE.formatted("250.0"));
    assertThat(run(config, "apply", dir.toString())).isZero();
    assertThat(output.toString())
        .contains(
            "big-basket: version 1 published",
            "big-basket: version 1 unchanged",
            "big-basket: version 2 published");

    assertThat(run(config, "list")).isZero();
    assertThat(output.toString()).containsPattern("big-basket\\s+rule\\s+v2\\s+enabled");

    assertThat(run(config, "delete", "big-basket")).isZero();
    output.getBuffer().setLength(0);
    run(config, "list");
    assertThat(output.toString()).doesNotContain("big-basket");
  }

  @Test
  void anOfferIsValidatedAndAppliedLikeAnyDefinition(StackConfig config) throws Exception {
    String offer =
        """
        kind: offer
        id: gold-card-cli
        name: Gold card
        eligibility: "profile.historicValue > 500.0"
        code: GOLD_CARD
        value: "profile.predictedValue12m * 0.05"
        """;
    Path bad =
        Files.writeString(
            dir.resolve("bad-offer.yaml"), offer.replace("historicValue", "historicValu"));

    assertThat(run(null, "validate", bad.toString())).isEqualTo(1);
    assertThat(output.toString()).contains("bad-offer.yaml:4:", "did you mean 'historicValue'?");
    Files.delete(bad);
    Path good = Files.writeString(dir.resolve("offer.yaml"), offer);
    assertThat(run(config, "apply", good.toString())).isZero();
    assertThat(output.toString()).contains("gold-card-cli: version 1 published");
    assertThat(run(config, "list")).isZero();
    assertThat(output.toString()).containsPattern("gold-card-cli\\s+offer\\s+v1\\s+enabled");
    assertThat(run(config, "delete", "gold-card-cli")).isZero();
  }

  @Test
  void anInvalidRulePublishesNothing(StackConfig config) throws Exception {
    Path good =
        Files.writeString(
            dir.resolve("a.yaml"), RULE.formatted("1.0").replace("big-basket", "never-published"));
    Files.writeString(
        dir.resolve("b.yaml"), "id: broken\nname: Broken\nwhen: {kind: nope}\naction: {code: X}\n");

    assertThat(run(config, "apply", dir.toString())).isEqualTo(1);
    assertThat(output.toString()).contains("b.yaml:3:", "nothing published");
    output.getBuffer().setLength(0);
    run(config, "list");
    assertThat(output.toString()).doesNotContain("never-published");
    assertThat(good).exists();
  }

  @Test
  void aThousandDefinitionsAreAppliedInOneTransactionWithinTenSeconds(StackConfig config)
      throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path folder = Files.createDirectory(dir.resolve("many"));
    for (int i = 0; i < 1_000; i++) {
      Files.writeString(
          folder.resolve("rule-" + i + ".yaml"),
          RULE.formatted(i + ".0").replace("big-basket", "many-" + run + "-" + i));
    }

    long began = System.nanoTime();
    int exit = run(config, "apply", folder.toString());
    double seconds = (System.nanoTime() - began) / 1e9;

    System.out.printf("engage rules apply of 1,000 definitions: %.1f s%n", seconds);
    assertThat(exit).as(output.toString()).isZero();
    assertThat(output.toString())
        .contains("many-" + run + "-0: version 1 published", "many-" + run + "-999: version 1");
    assertThat(seconds).isLessThan(10);
  }

  @Test
  void applyWithAnExpectedVersionThatMovedPublishesNothing(StackConfig config) throws Exception {
    String id = "expected-" + UUID.randomUUID().toString().substring(0, 8);
    Path rule =
        Files.writeString(
            dir.resolve("rule.yaml"), RULE.formatted("1.0").replace("big-basket", id));

    assertThat(run(config, "apply", "--expect-version", "0", rule.toString())).isZero();
    Files.writeString(rule, RULE.formatted("2.0").replace("big-basket", id));
    // edited from "not published yet", but version 1 is there now
    assertThat(run(config, "apply", "--expect-version", "0", rule.toString())).isEqualTo(1);
    assertThat(run(config, "apply", "--expect-version", "1", rule.toString())).isZero();

    assertThat(output.toString())
        .contains(
            id + ": version 1 published",
            "'" + id + "' was edited from version 0 but is now at version 1",
            id + ": version 2 published");
  }

  @Test
  void backtestReplaysRecentTouchpointsThroughTheRule(StackConfig config) throws Exception {
    String type = "bt_" + UUID.randomUUID().toString().substring(0, 8);
    Topic<String, Touchpoint> topic =
        new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl()))
            .touchpoints();
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    try (KafkaProducer<String, Touchpoint> producer =
        new KafkaProducer<>(
            props, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      for (String customer : List.of("ann", "ann", "bob")) {
        Touchpoint event = touchpoint(customer, type);
        producer.send(new ProducerRecord<>(topic.name(), customer, event)).get();
      }
    }
    Path rule =
        Files.writeString(
            dir.resolve("bt.yaml"),
            "id: bt\nname: Backtest\nwhen: {kind: event, condition: \"event.type == '"
                + type
                + "'\"}\n"
                + "action: {code: BT}\n");

    assertThat(run(config, "backtest", rule.toString(), "--since", "1h"))
        .as(output.toString())
        .isZero();

    assertThat(output.toString())
        .containsPattern("bt over [\\d,]+ touchpoints since .*: 3 firings for 2 customers");
    assertThat(output.toString()).contains("ann at ", "event " + type + " matched");
  }

  private static Touchpoint touchpoint(String customer, String type) {
    Instant now = Instant.now();
    return Touchpoint.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setCustomerId(customer)
        .setType(type)
        .setChannel("web")
        .setSource("test")
        .setOccurredAt(now)
        .setReceivedAt(now)
        .build();
  }

  private int run(StackConfig config, String... args) {
    List<String> all = new ArrayList<>(List.of("rules"));
    all.addAll(List.of(args));
    if (config != null) {
      all.addAll(
          List.of(
              "--kafka-port", Integer.toString(config.kafkaPort()),
              "--registry-port", Integer.toString(config.registryPort()),
              "--set", "kafka.host=127.0.0.1"));
    }
    CommandLine cli = EngageCli.commandLine();
    PrintWriter writer = new PrintWriter(output, true);
    cli.setOut(writer);
    cli.setErr(writer);
    return cli.execute(all.toArray(String[]::new));
  }
}

package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.api.auth.Role;
import dev.engage.avro.PropensityCounts;
import dev.engage.avro.RuleRecord;
import dev.engage.avro.Touchpoint;
import dev.engage.launcher.testing.Browser;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The rule studio in headless Chromium against the real stack: a rule with a misspelt field is
 * refused with its line and column, then fixed, saved disabled, enabled and backtested; the rules
 * topic holds both versions; the rule's row shows its action's statistics from the propensities
 * topic.
 */
class StudioIT extends ApiOnSharedStack {
  private static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    browser = Browser.start(dir);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  @AfterEach
  void lastScreen() {
    browser.screenshot("studio-last"); // what the page showed when the test ended, passed or not
  }

  @Test
  void marketerSeesTheSaveErrorWithLineAndColumnThenFixesSavesAndEnablesTheRule() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String id = "studio-" + run;
    String buyer = "buyer-" + run;
    String code = "THANK_" + run.toUpperCase(Locale.ROOT);
    sendPurchases(buyer, 150.0, 40.0);
    // what customers did with the action so far, as the decisions job counts it
    api.write(
        api.topics.propensities(),
        Map.of(
            code + "|*", new PropensityCounts(code, "*", 45L, 105L, Instant.now()),
            code + "|~treated", new PropensityCounts(code, "~treated", 42L, 98L, Instant.now()),
            code + "|~control", new PropensityCounts(code, "~control", 3L, 7L, Instant.now())));
    api.actionStats(code, a -> a.path("control").path("shown").asLong() == 10);
    String broken = rule(id, code, buyer, "event.amout > 100.0");
    JsonNode expected =
        TestApi.json(
                api.send("POST", "/v1/rules/validate", Role.MARKETER, broken, "application/yaml"))
            .path("errors")
            .get(0);

    browser.open(api.base + "/studio");
    browser.find("#api-key").sendKeys(api.key(Role.MARKETER));
    browser.find("#key-form button[type=submit]").click();
    browser.awaitText("#validity", "Valid"); // the template checks out once the key is in
    type(broken);
    browser.find("#save").click();

    String where =
        "Line " + expected.path("line").asInt() + ", column " + expected.path("column").asInt();
    String problem = browser.awaitText("#problems li", where);
    assertThat(expected.path("line").asInt()).isEqualTo(6);
    assertThat(problem).contains("when.condition", "amout", "amount");
    assertThat(browser.awaitText("#gutter .err", "6")).isEqualTo("6");
    assertThat(browser.find("#save-status").getText()).contains("Not saved");
    assertThat(api.get("/v1/rules/" + id, Role.MARKETER).statusCode()).isEqualTo(404);
    browser.screenshot("studio-save-refused");

    type(rule(id, code, buyer, "event.amount > 100.0"));
    browser.awaitText("#validity", "Valid");
    browser.find("#save").click();
    browser.awaitText("#save-status", "Saved " + id + " as version 1 (disabled)");
    assertThat(browser.awaitText("#rule-status", "disabled")).isEqualTo("disabled");
    assertThat(rowOf(id).getText()).contains("disabled", "v1");
    // nothing fired yet: the count from the triggers topic, not a placeholder
    assertThat(rowOf(id).findElement(By.cssSelector("td.fired")).getText()).isEqualTo("0");
    // beside it, its action's figures: accepted of shown, the Wilson interval, treated vs control
    WebElement stats = rowOf(id).findElement(By.cssSelector("td.stats"));
    assertThat(stats.getAttribute("data-code")).isEqualTo(code);
    assertThat(stats.getText())
        .contains("45 of 150 (30%, 95%: 23\u201338%)")
        .contains("treated 30% of 140")
        .contains("control 30% of 10");

    browser.find("#toggle").click();
    browser.awaitText("#rule-status", "enabled");
    browser.awaitText("#save-status", id + " is enabled (version 2)");
    assertThat(browser.find("#source").getAttribute("value")).contains("enabled: true");
    browser.awaitText("[data-rule-id='" + id + "']", "enabled");
    assertThat(browser.find("#current-version").getText())
        .contains("Version 2, saved by marketer-key");

    browser.find("#backtest").click();
    browser.await(60, d -> !d.findElements(By.id("backtest-figures")).isEmpty());
    assertThat(browser.find("[data-figure=firings]").getText()).isEqualTo("1");
    assertThat(browser.find("#backtest-samples").getText()).contains(buyer);
    browser.screenshot("studio-enabled-and-backtested");
    // the history lists both versions, newest first; a click loads the older text
    browser.awaitText("#version-list li", "v2 enabled, saved by marketer-key");
    assertThat(browser.find("#version-list").getText()).contains("v1 disabled");
    browser.find("#version-list li[data-version='1'] button").click();
    browser.awaitText("#save-status", "Loaded version 1");
    assertThat(browser.find("#source").getAttribute("value")).contains("enabled: false");
    browser.screenshot("studio-version-history");

    JsonNode listed = null;
    for (JsonNode r : TestApi.json(api.get("/v1/rules", Role.MARKETER)).path("rules")) {
      if (r.path("id").asText().equals(id)) {
        listed = r;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.path("enabled").asBoolean()).isTrue();
    assertThat(listed.path("version").asInt()).isEqualTo(2);
    List<ConsumerRecord<String, RuleRecord>> versions =
        api.read(api.topics.rules(), r -> r.key().equals(id), 2);
    assertThat(versions)
        .extracting(r -> r.value().getVersion() + ":" + r.value().getEnabled())
        .containsExactly("1:false", "2:true");
    assertThat(versions.get(1).value().getUpdatedBy()).isEqualTo("marketer-key");
  }

  private static String rule(String id, String code, String customer, String amountCondition) {
    return """
        id: %s
        name: Big basket
        enabled: false
        when:
          kind: event
          condition: "event.type == 'purchase' && event.customerId == '%s' && %s"
        action:
          code: %s
          notify: none
        """
        .formatted(id, customer, amountCondition, code);
  }

  /** Recent purchases on the touchpoints topic, for the backtest to replay. */
  private static void sendPurchases(String customer, double... amounts) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, api.bootstrapServers);
    try (KafkaProducer<String, Touchpoint> producer =
        new KafkaProducer<>(
            props, new StringSerializer(), api.topics.touchpoints().valueSerde().serializer())) {
      for (double amount : amounts) {
        Instant now = Instant.now();
        Touchpoint purchase =
            Touchpoint.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setCustomerId(customer)
                .setType("purchase")
                .setChannel("pos")
                .setSource("studio-test")
                .setOccurredAt(now)
                .setReceivedAt(now)
                .setAmount(amount)
                .build();
        producer
            .send(new ProducerRecord<>(api.topics.touchpoints().name(), customer, purchase))
            .get();
      }
    }
  }

  /** Replaces the editor's text the way a person would: select all, type. */
  private static void type(String text) {
    WebElement source = browser.find("#source");
    source.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    source.sendKeys(text);
  }

  private static WebElement rowOf(String id) {
    return browser.await(
        10,
        d ->
            d.findElements(By.cssSelector("[data-rule-id='" + id + "']")).stream()
                .findFirst()
                .orElse(null));
  }
}

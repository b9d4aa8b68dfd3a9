package dev.engage.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.IdentityMerge;
import dev.engage.avro.Touchpoint;
import dev.engage.ingestion.collector.Source;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.launcher.testing.Browser;
import dev.engage.launcher.testing.NodePackages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;

/**
 * Segment's browser SDK, the real npm package {@code @segment/analytics-next} loaded by Segment's
 * snippet, in headless Chromium on a page of another origin than the collector: what it sends
 * arrives as touchpoints on the real broker, and a page of an origin its source does not list gets
 * no CORS approval and stores nothing. Installs the package with npm (into target/) on first run.
 */
@ExtendWith(SharedStack.class)
class AnalyticsNextBrowserIT {
  private static final String WEB_KEY = "wk_browser_0123456789";
  // a desktop Chrome's: the headless one says HeadlessChrome, which the collector drops as a bot
  private static final String DESKTOP_CHROME =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/131.0.0.0 Safari/537.36";

  @TempDir static Path dir;
  private static PageServer shop;
  private static PageServer elsewhere;
  private static TestIngestion ingestion;
  private static Browser browser;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void start(StackConfig config) throws Exception {
    Path sdk =
        NodePackages.install(
                Path.of("src", "test", "node", "analytics-next"),
                Path.of("target", "node", "analytics-next"))
            .resolve("node_modules/@segment/analytics-next/dist/umd");
    shop = PageServer.start(sdk);
    elsewhere = PageServer.start(sdk);
    String shopOrigin = "http://localhost:" + shop.port();
    ingestion =
        TestIngestion.start(
            config, dir, List.of(new Source("website", WEB_KEY, "web", List.of(shopOrigin))));
    String page =
        Files.readString(
                Path.of("src", "test", "resources", "browser", "shop.html"), StandardCharsets.UTF_8)
            .replace("{{writeKey}}", WEB_KEY)
            .replace("{{collector}}", ingestion.base());
    shop.page("/shop.html", page);
    elsewhere.page("/shop.html", page);
    browser = Browser.start(dir, "--user-agent=" + DESKTOP_CHROME);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    ingestion.close();
    shop.close();
    elsewhere.close();
  }

  @AfterEach
  void leave() {
    browser.open("about:blank");
  }

  @Test
  void pageIdentifyAndTrackFromTheSdkBecomeTouchpointsOfTheCustomer() throws Exception {
    String customer = "cust-" + run;
    browser.open(
        "http://localhost:"
            + shop.port()
            + "/shop.html?utm_source=newsletter&utm_medium=email&utm_campaign=winter-sale");
    browser.await(30, d -> Boolean.TRUE.equals(js("return window.analytics.initialized === true")));
    String visitor = (String) js("return analytics.user().anonymousId()");
    Object sent =
        js(
            "const done = arguments[arguments.length - 1];"
                + "analytics.identify(arguments[0], {email: 'ann@example.com'})"
                + ".then(() => analytics.track('Order Completed', {revenue: 42.5, currency: 'EUR'}))"
                + ".then(() => done('sent'), e => done('failed: ' + e))",
            customer);
    assertThat(sent).isEqualTo("sent");
    browser.open("about:blank"); // the page is left: its pagehide handler sends a beacon

    List<ConsumerRecord<String, Touchpoint>> out =
        ingestion.read(
            ingestion.topics.touchpoints(), r -> visitor.equals(r.value().getAnonymousId()), 4);
    assertThat(out)
        .extracting(r -> r.value().getType() + " -> " + r.key())
        .containsExactlyInAnyOrder(
            "page_view -> anon:anonymous_id:" + visitor,
            "identify -> " + customer,
            "order_completed -> " + customer,
            "page_left -> " + customer);
    Map<String, String> pageView = byType(out, "page_view").getAttributes();
    assertThat(pageView)
        .containsEntry("utm_source", "newsletter")
        .containsEntry("utm_medium", "email")
        .containsEntry("utm_campaign", "winter-sale")
        .containsEntry("device_class", "desktop");
    assertThat(byType(out, "page_view").getContext())
        .containsEntry("page.path", "/shop.html")
        .containsEntry("library.name", "analytics.js")
        .containsEntry("ip", "127.0.0.0");
    assertThat(byType(out, "order_completed").getAmount()).isEqualTo(42.5);
    assertThat(byType(out, "order_completed").getCurrency()).isEqualTo("EUR");
    List<ConsumerRecord<String, IdentityMerge>> merges =
        ingestion.read(ingestion.topics.identityMerges(), r -> r.key().equals(customer), 1);
    assertThat(merges)
        .singleElement()
        .satisfies(m -> assertThat(m.value().getFrom()).isEqualTo("anon:anonymous_id:" + visitor));
  }

  @Test
  void aPageOfAnOriginThatIsNotAllowedGetsNoCorsApprovalAndNothingIsStored() throws Exception {
    String visitor = "intruder-" + run;
    browser.open("http://127.0.0.1:" + elsewhere.port() + "/shop.html?visitor=" + visitor);
    Object probes =
        js(
            "const done = arguments[arguments.length - 1];"
                + "const outcome = p => p.then(r => 'read ' + r.status, e => 'refused: ' + e.message);"
                + "Promise.all(["
                + "  outcome(fetch(arguments[0] + '/v1/projects/' + arguments[1] + '/settings')),"
                + "  outcome(fetch(arguments[0] + '/v1/t', {method: 'POST',"
                + "    headers: {'Content-Type': 'text/plain'},"
                + "    body: JSON.stringify({type: 'track', event: 'Direct Post',"
                + "      anonymousId: arguments[2], writeKey: arguments[1]})}))"
                + "]).then(done)",
            ingestion.base(),
            WEB_KEY,
            visitor);
    assertThat(probes.toString())
        .as("the browser lets the page read neither the settings nor the answer")
        .isEqualTo("[refused: Failed to fetch, refused: Failed to fetch]");
    assertThat(js("return window.analytics.initialized === true"))
        .as("without its settings the SDK does not start")
        .isEqualTo(false);
    browser.open("about:blank"); // and its beacon goes too
    // the same visitor's event from a server: when it is there, anything before it would be too
    assertThat(
            ingestion
                .post(
                    "/v1/track",
                    WEB_KEY,
                    RawEvents.track("Marker").put("anonymousId", visitor).toString())
                .statusCode())
        .isEqualTo(200);

    assertThat(
            ingestion.read(
                ingestion.topics.touchpoints(), r -> visitor.equals(r.value().getAnonymousId()), 1))
        .extracting(r -> r.value().getType())
        .containsExactly("marker");
  }

  private static Object js(String script, Object... arguments) {
    JavascriptExecutor executor = (JavascriptExecutor) browser.driver();
    return script.contains("arguments[arguments.length - 1]")
        ? executor.executeAsyncScript(script, arguments)
        : executor.executeScript(script, arguments);
  }

  private static Touchpoint byType(List<ConsumerRecord<String, Touchpoint>> records, String type) {
    return records.stream()
        .map(ConsumerRecord::value)
        .filter(t -> t.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }
}

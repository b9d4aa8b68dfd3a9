package dev.engage.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.IdentityMerge;
import dev.engage.avro.Touchpoint;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
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

/**
 * Segment's browser SDK, the real npm package {@code @segment/analytics-next} loaded by Segment's
 * snippet, in headless Chromium on a page of another origin than the collector: what it sends
 * arrives as touchpoints on the real broker, and a page of an origin its source does not list gets
 * no CORS approval and stores nothing. Installs the package with npm (into target/) on first run.
 */
@ExtendWith(SharedStack.class)
class AnalyticsNextBrowserIT {
  private static final String WEB_KEY = "wk_browser_0123456789";

  @TempDir static Path dir;
  private static BrowserSite site;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void start(StackConfig config) throws Exception {
    site = BrowserSite.start(config, dir, WEB_KEY, List.of("shop.html"));
  }

  @AfterAll
  static void stop() {
    site.close();
  }

  @AfterEach
  void leave() {
    site.browser.open("about:blank");
  }

  @Test
  void pageIdentifyAndTrackFromTheSdkBecomeTouchpointsOfTheCustomer() {
    String customer = "cust-" + run;
    site.browser.open(
        site.shop("/shop.html?utm_source=newsletter&utm_medium=email&utm_campaign=winter-sale"));
    site.browser.await(
        30, d -> Boolean.TRUE.equals(site.js("return window.analytics.initialized === true")));
    String visitor = (String) site.js("return analytics.user().anonymousId()");
    Object sent =
        site.js(
            "const done = arguments[arguments.length - 1];"
                + "analytics.identify(arguments[0], {email: 'ann@example.com'})"
                + ".then(() => analytics.track('Order Completed', {revenue: 42.5, currency: 'EUR'}))"
                + ".then(() => done('sent'), e => done('failed: ' + e))",
            customer);
    assertThat(sent).isEqualTo("sent");
    site.browser.open("about:blank"); // the page is left: its pagehide handler sends a beacon

    List<ConsumerRecord<String, Touchpoint>> out =
        site.ingestion.read(
            site.ingestion.topics.touchpoints(),
            r -> visitor.equals(r.value().getAnonymousId()),
            4);
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
        site.ingestion.read(
            site.ingestion.topics.identityMerges(), r -> r.key().equals(customer), 1);
    assertThat(merges)
        .singleElement()
        .satisfies(m -> assertThat(m.value().getFrom()).isEqualTo("anon:anonymous_id:" + visitor));
  }

  @Test
  void aPageOfAnOriginThatIsNotAllowedGetsNoCorsApprovalAndNothingIsStored() throws Exception {
    String visitor = "intruder-" + run;
    site.browser.open(site.elsewhere("/shop.html?visitor=" + visitor));
    String probes =
        site.probe(
            "/v1/projects/" + WEB_KEY + "/settings",
            "/v1/t",
            RawEvents.track("Direct Post")
                .put("anonymousId", visitor)
                .put("writeKey", WEB_KEY)
                .toString());
    assertThat(probes)
        .as("the browser lets the page read neither the settings nor the answer")
        .isEqualTo("[refused: Failed to fetch, refused: Failed to fetch]");
    assertThat(site.js("return window.analytics.initialized === true"))
        .as("without its settings the SDK does not start")
        .isEqualTo(false);
    site.browser.open("about:blank"); // and its beacon goes too
    // the same visitor's event from a server: when it is there, anything before it would be too
    assertThat(
            site.ingestion
                .post(
                    "/v1/track",
                    WEB_KEY,
                    RawEvents.track("Marker").put("anonymousId", visitor).toString())
                .statusCode())
        .isEqualTo(200);

    assertThat(
            site.ingestion.read(
                site.ingestion.topics.touchpoints(),
                r -> visitor.equals(r.value().getAnonymousId()),
                1))
        .extracting(r -> r.value().getType())
        .containsExactly("marker");
  }

  static Touchpoint byType(List<ConsumerRecord<String, Touchpoint>> records, String type) {
    return records.stream()
        .map(ConsumerRecord::value)
        .filter(t -> t.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }
}

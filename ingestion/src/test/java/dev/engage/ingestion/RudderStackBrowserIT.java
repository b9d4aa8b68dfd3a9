package dev.engage.ingestion;

import static dev.engage.ingestion.AnalyticsNextBrowserIT.byType;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.Touchpoint;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * RudderStack's JavaScript SDK, the real npm package {@code @rudderstack/analytics-js}, in headless
 * Chromium on a page of another origin: its source config, its XHR deliveries (JSON with Basic auth
 * and its own headers, so every one is preflighted) and its beacons ({@code
 * /beacon/v1/batch?writeKey=}) reach the collector, with its consent context; a page of an origin
 * not listed gets nothing.
 */
@ExtendWith(SharedStack.class)
class RudderStackBrowserIT {
  private static final String WEB_KEY = "wk_rudder_0123456789";

  @TempDir static Path dir;
  private static BrowserSite site;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void start(StackConfig config) throws Exception {
    site = BrowserSite.start(config, dir, WEB_KEY, List.of("rudder.html"));
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
  void pageIdentifyTrackAndABeaconBecomeTouchpointsWithTheVisitorsConsent() {
    String customer = "cust-" + run;
    site.browser.open(
        site.shop("/rudder.html?utm_source=ads&utm_medium=cpc&utm_campaign=spring-sale"));
    String visitor = ready();
    Object sent =
        site.js(
            "const done = arguments[arguments.length - 1];"
                + "rudder.identify(arguments[0], {email: 'bo@example.com'}, () =>"
                + "  rudder.track('Order Completed', {revenue: 20, currency: 'EUR'}, () => done('queued')));",
            customer);
    assertThat(sent).isEqualTo("queued");
    // the next visit sends by beacon: the same visitor, known by now
    site.browser.open(site.shop("/rudder.html?beacon=1"));
    assertThat(ready()).isEqualTo(visitor);

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
            "page_view -> " + customer);
    Touchpoint landing =
        out.stream()
            .map(ConsumerRecord::value)
            .filter(t -> t.getCustomerId().startsWith("anon:"))
            .findFirst()
            .orElseThrow();
    assertThat(landing.getAttributes())
        .containsEntry("utm_source", "ads")
        .containsEntry("utm_medium", "cpc")
        .containsEntry("utm_campaign", "spring-sale")
        .containsEntry("device_class", "desktop")
        .containsEntry("consent_marketing", "false");
    assertThat(landing.getContext())
        .containsEntry("library.name", "RudderLabs JavaScript SDK")
        .containsEntry("ip", "127.0.0.0");
    assertThat(landing.getChannel()).isEqualTo("web");
    assertThat(byType(out, "order_completed").getAmount()).isEqualTo(20.0);
  }

  @Test
  void aPageOfAnOriginThatIsNotAllowedGetsNoCorsApprovalAndNothingIsStored() throws Exception {
    String visitor = "intruder-" + run;
    site.browser.open(site.elsewhere("/rudder.html"));
    String probes =
        site.probe(
            "/sourceConfig/?writeKey=" + WEB_KEY,
            "/beacon/v1/batch?writeKey=" + WEB_KEY,
            "{\"batch\": [" + RawEvents.page().put("anonymousId", visitor) + "]}");
    assertThat(probes).isEqualTo("[refused: Failed to fetch, refused: Failed to fetch]");
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

  /** Waits until the SDK has loaded its config; answers the visitor's anonymous id. */
  private static String ready() {
    return (String)
        site.js(
            "const done = arguments[arguments.length - 1];"
                + "rudder.ready(() => done(rudder.getAnonymousId()));");
  }
}

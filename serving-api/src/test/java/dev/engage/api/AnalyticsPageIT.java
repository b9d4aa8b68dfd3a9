package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.api.auth.Role;
import dev.engage.launcher.testing.Browser;
import dev.engage.schemas.redis.AnalyticsKeys;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import redis.clients.jedis.JedisPooled;

/**
 * The studio's analytics page in headless Chromium over figures written as the stream jobs write
 * them: the four charts draw (ECharts from its webjar, on canvas) and the tables show the scripted
 * campaign, segment and agent. Screenshots {@code analytics-page} and {@code
 * analytics-page-campaigns}.
 */
class AnalyticsPageIT extends ApiOnSharedStack {
  private static Browser browser;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

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

  @Test
  void aMarketerSeesTheChartsAndTheCampaignsUpliftWithItsInterval() throws Exception {
    String campaign = "spring-sale-" + run;
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    try (JedisPooled redis = api.redis()) {
      write(
          redis,
          AnalyticsKeys.campaigns(),
          campaign,
          Map.of(
              "fired", "180",
              "sent", "150",
              "opened", "61",
              "clicked", "22",
              "suppressed:QUIET_HOURS", "12",
              "suppressed:CONTROL_GROUP", "18",
              "exposed:treated", "160",
              "converted:treated", "40",
              "exposed:control", "80",
              "converted:control", "10"));
      for (int back = 0; back < 7; back++) {
        String day = LocalDate.now(ZoneOffset.UTC).minusDays(back).toString();
        redis.hset(AnalyticsKeys.daily(), "fired|" + day, Integer.toString(20 + 3 * back));
        redis.hset(AnalyticsKeys.daily(), "converted|" + day, Integer.toString(4 + back));
      }
      redis.hset(AnalyticsKeys.daily(), "sent|" + today, "17");
      redis.hset(AnalyticsKeys.attribution(), "linear|channel|email", "12.5");
      redis.hset(AnalyticsKeys.attribution(), "linear|channel|web", "20.5");
      redis.hset(AnalyticsKeys.attribution(), "count|total|conversions", "50");
      write(
          redis,
          AnalyticsKeys.segments(),
          "vip-" + run,
          Map.of(
              "customers",
              "40",
              "product:books",
              "25",
              "product:music",
              "15",
              "people:calls",
              "8"));
      write(
          redis,
          AnalyticsKeys.agents(),
          "agent-" + run,
          Map.of("calls", "12", "handleSeconds", "2700", "shown", "20", "accepted", "9"));
    }

    browser.open(api.base + "/analytics");
    browser.find("#api-key").sendKeys(api.key(Role.MARKETER));
    browser.find("#key-form button[type=submit]").click();
    browser.await(
        30, d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-loaded")));

    for (String chart :
        List.of("daily-chart", "attribution-chart", "uplift-chart", "segments-chart")) {
      WebElement node = browser.find("#" + chart);
      assertThat(node.getAttribute("data-state")).as(chart).isEqualTo("drawn");
      assertThat(node.findElements(By.tagName("canvas"))).as(chart).isNotEmpty();
    }
    // 40/160 = 25.0% vs 10/80 = 12.5%: 12.5 points, Newcombe's interval 1.6 to 21.6 points
    String row = browser.awaitText("#campaigns tr[data-campaign='" + campaign + "']", "12.5 pts");
    assertThat(row).contains("40/160 (25.0%) vs 10/80 (12.5%)", "[1.6, 21.6]", "QUIET_HOURS 12");
    assertThat(browser.awaitText("#segments tr[data-segment='vip-" + run + "']", "40"))
        .contains("0.20", "no data source");
    assertThat(browser.awaitText("#agents tbody", "agent-" + run)).contains("3.8 min");
    browser.screenshot("analytics-page");
    ((org.openqa.selenium.JavascriptExecutor) browser.driver())
        .executeScript("document.getElementById('uplift-title').scrollIntoView()");
    browser.screenshot("analytics-page-campaigns");
  }

  private static void write(JedisPooled redis, String hash, String name, Map<String, String> m) {
    m.forEach((metric, value) -> redis.hset(hash, AnalyticsKeys.field(metric, name), value));
  }
}

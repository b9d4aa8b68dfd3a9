package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.api.auth.Role;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.NextBestActions;
import dev.engage.avro.Response;
import dev.engage.avro.ResponseType;
import dev.engage.launcher.testing.Browser;
import dev.engage.schemas.identity.PersonalData;
import dev.engage.schemas.json.AvroToJson;
import dev.engage.schemas.json.JsonToAvro;
import dev.engage.schemas.redis.RedisKeys;
import dev.engage.schemas.redis.StoredActions;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/**
 * The agent console in headless Chromium against the real stack: a customer the profile job wrote
 * to Redis, an action arriving over the live stream, and an accept click that lands on the {@code
 * responses} topic.
 */
class ConsoleIT extends ApiOnSharedStack {
  private static JedisPooled redis;
  private static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    redis = api.redis();
    browser = Browser.start(dir);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    redis.close();
  }

  @AfterEach
  void lastScreen() {
    browser.screenshot("console-last"); // what the page showed when the test ended, passed or not
  }

  @Test
  void agentSeesTheCustomerThenAnActionArrivesLiveAndTheAcceptIsRecorded() throws Exception {
    String id = "cust-console-" + UUID.randomUUID().toString().substring(0, 8);
    storeProfile(id);
    String email = "Ann." + id + "@Example.com";
    redis.set(
        RedisKeys.identity("email", PersonalData.sha256(PersonalData.normalizeEmail(email))), id);

    signIn();
    // the agent has the email the caller gave, written their own way
    browser.find("#customer-id").sendKeys(" " + email.toLowerCase());
    browser.find("#lookup button[type=submit]").click();

    browser.awaitText("#profile-id", id);
    assertThat(browser.find("#predicted-value").getText()).isEqualTo("1,840.50");
    assertThat(browser.find("#historic-value").getText()).isEqualTo("612.25");
    assertThat(browser.find("#lead-score").getText()).isEqualTo("72 / 100");
    assertThat(browser.find("#lifetime-value").getText()).contains("lifetime-value v3");
    assertThat(browser.find("#probability-alive").getText()).isEqualTo("87%");
    assertThat(browser.find("#expected-purchases").getText()).isEqualTo("4.4");
    assertThat(browser.find("#expected-order-value").getText()).isEqualTo("84.12");
    browser.screenshot("console-value");
    assertThat(browser.find("#score-factors").getText())
        .contains("demo_requested", "30.0 pts", "gave an email");
    assertThat(browser.find("#segments").getText()).contains("frequent-flyers", "new-parents");
    assertThat(browser.find("#preferred-channel").getText()).isEqualTo("sms (declared)");
    assertThat(browser.find("#consent").getText()).contains("email ✓", "SMS ✓", "push ✗");
    List<String> channels =
        browser.driver().findElements(By.cssSelector("#timeline .icon")).stream()
            .map(icon -> icon.getAttribute("aria-label"))
            .toList();
    assertThat(channels).containsExactly("Call center", "Point of sale", "Web");
    assertThat(browser.find("#timeline").getText()).contains("Asked about a delayed flight");
    assertThat(browser.find("#actions").getText()).contains("No open actions");
    browser.awaitText("#live", "live");
    browser.screenshot("console-customer");

    String actionId = "act-" + UUID.randomUUID();
    publishActions(id, actionId);
    WebElement action =
        browser.await(
            10,
            d ->
                d.findElements(By.cssSelector("[data-action-id='" + actionId + "']")).stream()
                    .findFirst()
                    .orElse(null));
    assertThat(action.getText())
        .contains("Offer the 18:05 flight to Berlin", "Why: LH123 is 150 minutes late");
    assertThat(browser.awaitText("#not-sent", "quiet hours"))
        .contains("cart-abandonment", "deferred", "QUIET_HOURS: quiet hours 22:00-07:00");
    browser.screenshot("console-action-arrived");

    action.findElement(By.cssSelector("button[data-response=accepted]")).click();
    browser.awaitText("[data-action-id='" + actionId + "'] .recorded", "Accepted");
    browser.screenshot("console-accepted");

    List<ConsumerRecord<String, Response>> responses =
        api.read(api.topics.responses(), r -> actionId.equals(r.value().getActionId()), 1);
    assertThat(responses).hasSize(1);
    Response response = responses.get(0).value();
    assertThat(responses.get(0).key()).isEqualTo(id);
    assertThat(response.getType()).isEqualTo(ResponseType.ACCEPTED);
    assertThat(response.getAgentId()).isEqualTo("agent-key");
    assertThat(response.getChannel()).isEqualTo("call_center");
  }

  @Test
  void agentClaimsATaskFromTheQueueAndClosesItWithItsOutcome() throws Exception {
    String id = "cust-task-" + UUID.randomUUID().toString().substring(0, 8);
    String taskId = "task-" + id;
    TestTasks.add(redis, TestTasks.failedSms(id, taskId, java.time.Instant.now()));

    signIn();
    String task = "[data-task-id='" + taskId + "']";
    assertThat(browser.awaitText(task, id)).contains("Delivery by sms failed: no phone number");
    browser.screenshot("console-tasks");

    browser.find(task + " button[data-task=claim]").click();
    browser.awaitText(task, "claimed by agent-key");
    browser.find(task + " input").sendKeys("rebooked on LH402 by phone");
    browser.find(task + " button[data-task=close]").click();
    browser.await(10, d -> d.findElements(By.cssSelector(task)).isEmpty() ? true : null);
    browser.screenshot("console-task-closed");

    assertThat(redis.hget(RedisKeys.tasks(id), taskId))
        .contains("\"status\":\"closed\"", "rebooked on LH402 by phone");
  }

  /** Opens the console with the agent's key; the tab keeps a key a test before gave it. */
  private static void signIn() {
    browser.open(api.base + "/console");
    if (browser.driver().findElement(By.id("key-form")).isDisplayed()) {
      browser.find("#api-key").sendKeys(api.key(Role.AGENT));
      browser.find("#key-form button[type=submit]").click();
    }
  }

  /** The profile and timeline as the profile job's Redis sink writes them (RedisProfiles). */
  private static void storeProfile(String id) throws Exception {
    Instant now = Instant.now();
    ObjectNode json =
        (ObjectNode)
            TestApi.JSON.readTree(
                """
                {"customerId": "%1$s", "version": 7,
                 "identities": {"email": "5f1c...", "customerId": "%1$s"},
                 "firstSeen": "2025-03-02T09:00:00Z", "lastSeen": "%2$s",
                 "countsByChannel": {"web": 1, "pos": 1, "call_center": 1},
                 "countsByType": {"page_view": 1, "purchase": 1, "call_started": 1},
                 "windows": {}, "categories": {"shoes": 1}, "categories30d": {"shoes": 1},
                 "rfm": {"recency": 5, "frequency": 3, "monetary": 4},
                 "historicValue": 612.25, "predictedValue12m": 1840.5,
                 "purchaseDays": {"first": "2025-03-02T00:00:00Z", "last": "%3$s",
                   "firstDayValue": 120.0, "repeatDays": 6, "repeatValue": 492.25},
                 "lifetimeValue": {"expectedPurchases12m": 4.375, "probabilityAlive": 0.873,
                   "expectedOrderValue": 84.12, "predictedValue12m": 1840.5,
                   "model": "lifetime-value", "modelVersion": 3},
                 "openCases": [{"caseId": "call-1", "reason": "delayed flight", "openedAt": "%2$s"}],
                 "preferences": {"preferredChannel": "sms", "consentEmail": true,
                                 "consentSms": true, "consentPush": false,
                                 "quietHoursStart": "22:00", "quietHoursEnd": "07:00",
                                 "timeZone": "Europe/Berlin", "onDisruption": "rebook_next_flight"},
                 "learnedPreferredChannel": "web",
                 "leadScore": {"score": 72, "modelId": "lead-score", "modelVersion": 2,
                   "factors": [{"factor": "demo_requested", "points": 30.0},
                               {"factor": "gave an email", "points": 10.0},
                               {"factor": "page_view on web", "points": 4.5}]},
                 "segments": ["frequent-flyers", "new-parents"],
                 "updatedAt": "%2$s", "lastPurchaseAt": "%3$s",
                 "timeline": [
                   {"eventId": "e3", "type": "call_started", "channel": "call_center",
                    "occurredAt": "%2$s", "summary": "Asked about a delayed flight"},
                   {"eventId": "e2", "type": "purchase", "channel": "pos", "occurredAt": "%3$s",
                    "amount": 89.9, "currency": "EUR", "summary": "Running shoes"},
                   {"eventId": "e1", "type": "page_view", "channel": "web", "occurredAt": "%4$s",
                    "summary": "/shoes/running"}]}
                """
                    .formatted(
                        id, now, now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(3))));
    ObjectNode written = AvroToJson.write(JsonToAvro.read(json, CustomerProfile.class));
    String timeline = written.remove("timeline").toString();
    redis.hset(RedisKeys.profile(id), Map.of("version", "7", "json", written.toString()));
    redis.set(RedisKeys.timeline(id), timeline);
  }

  /**
   * A decision as the next-best-action job leaves it: the document in {@code cust:{id}:nba}, then
   * the announcement on {@code nba:{id}} once the page's stream is subscribed.
   */
  private static void publishActions(String id, String actionId) throws Exception {
    Instant now = Instant.now();
    ObjectNode json =
        (ObjectNode)
            TestApi.JSON.readTree(
                """
                {"customerId": "%1$s", "version": 1, "decidedAt": "%3$s",
                 "actions": [{"actionId": "%2$s", "code": "REBOOK_OFFER",
                   "title": "Offer the 18:05 flight to Berlin",
                   "message": "Your flight is late: we can rebook you on LH125 at 18:05.",
                   "priority": 80, "score": 0.8,
                   "reason": "LH123 is 150 minutes late and the customer asked to be rebooked",
                   "ruleId": "rebooking-offer", "ruleVersion": 3, "channel": "sms",
                   "agentVisible": true, "expiresAt": "%4$s",
                   "cause": {"eventId": "disruption-1", "type": "flight_disruption",
                             "receivedAt": "%3$s"}}]}
                """
                    .formatted(id, actionId, now, now.plus(Duration.ofHours(6))));
    redis.hset(
        RedisKeys.nextBestActions(id),
        StoredActions.fields(JsonToAvro.read(json, NextBestActions.class)));
    redis.lpush(
        RedisKeys.decisions(id),
        """
        {"decisionId": "%1$s/0", "customerId": "%1$s", "sequence": 0, "controlGroup": false,
         "notifications": [{"actionId": "act-cart", "sourceId": "cart-abandonment",
           "verdict": "DEFER", "reason": "QUIET_HOURS",
           "steps": ["REQUESTED_CHANNEL: sms",
                     "QUIET_HOURS: quiet hours 22:00-07:00 Europe/Berlin end at 2026-12-03T06:00:00Z"]}]}
        """
            .formatted(id));
    String channel = RedisKeys.updates(id);
    try (Jedis jedis = new Jedis(URI.create(api.redisUri))) {
      browser.await(10, d -> jedis.pubsubNumSub(channel).getOrDefault(channel, 0L) > 0);
    }
    redis.publish(
        channel,
        TestApi.JSON
            .createObjectNode()
            .put("type", "actions")
            .put("customerId", id)
            .put("version", 1)
            .toString());
  }
}

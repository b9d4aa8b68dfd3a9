package dev.engage.jobs.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.IdentityMerge;
import dev.engage.avro.ScoreFactor;
import dev.engage.avro.TimelineEntry;
import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.avro.WindowTotals;
import dev.engage.jobs.JobTopics;
import dev.engage.jobs.redis.RedisProfiles;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.store.RuleStore;
import dev.engage.schemas.json.AvroToJson;
import dev.engage.schemas.redis.RedisKeys;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisPooled;

/**
 * The whole application on a MiniCluster against the real broker, registry and redis-server: a
 * scripted sequence of touchpoints over four channels becomes exactly the expected profiles, in the
 * profiles topic and in Redis, with windows rolling off as event time advances, a lead score with
 * its factors, a segment entered then left, declared preferences and a merge; then segments and
 * scoring models published while the job runs apply to existing customers at once.
 */
@ExtendWith(SharedStack.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProfileJobIT {
  /** Event time of the scripted sequence's first touchpoint: 35 days ago, on the hour. */
  private static final Instant T0 =
      Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(35));

  private static final ScriptedTouchpoints SCRIPT = new ScriptedTouchpoints(T0);

  private static JobTopics topics;
  private static JobClient job;
  private static RuleStore definitions;
  private static JedisPooled redis;

  @BeforeAll
  static void startJob(StackConfig stack) throws Exception {
    topics = JobTopics.create(stack);
    definitions =
        new RuleStore(
            stack.bootstrapServers(),
            topics.catalog().rules(),
            new DefinitionParser(new ConditionCompiler()));
    publish(
        """
        id: valuable
        name: Became a valuable customer
        when: {kind: threshold, value: "profile.historicValue", above: 100}
        action: {code: WELCOME_GOLD}
        """);
    publish(
        """
        kind: segment
        id: baby-buyers
        name: Bought baby products at least twice in 30 days
        condition: "'baby' in profile.categories30d && profile.categories30d['baby'] >= 2"
        """);
    publish(
        """
        kind: scoring_model
        id: lead-score
        name: Lead score
        halfLife: 7d
        cap: 100
        events:
          - {type: page_view, channel: web, points: 5}
          - {type: purchase, points: 20}
          - {type: call_started, points: -10}
        traits:
          - {name: gave an email, condition: "'email' in profile.identities", points: 10}
        """);
    redis = new JedisPooled(topics.redisUri());
    job = topics.startApplication("profile");
    topics.awaitRules(job, definitions);
  }

  @AfterAll
  static void stopJob() throws Exception {
    job.cancel().get();
    redis.close();
  }

  @Test
  @Order(1)
  void aScriptedSequenceGivesTheExpectedProfilesInKafkaAndRedis() throws Exception {
    Touchpoint call = SCRIPT.event("pj-ann", "call_started", "call_center", 20);
    call.setAttributes(Map.of("callId", "c-1", "reason", "delivery"));
    Touchpoint identify = SCRIPT.event("pj-cara", "identify", "app", 1);
    identify.setAttributes(Map.of("consent_email", "true", "preferred_channel", "sms"));
    identify.setIdentities(Map.of("email", "5f1e...hashed"));
    topics.send(
        topics.catalog().touchpoints(),
        Touchpoint::getCustomerId,
        List.of(
            SCRIPT.event("pj-ann", "page_view", "web", 0),
            SCRIPT.event("pj-ann", "app_open", "app", 5),
            SCRIPT.purchase("pj-ann", 10, 80.0, "baby"),
            call,
            SCRIPT.purchase("pj-ann", 30, 45.0, "baby"),
            SCRIPT.event("pj-bob", "page_view", "web", 0),
            // bob comes back two hours later: his first hour rolls off the 1h window
            SCRIPT.event("pj-bob", "page_view", "web", 120),
            SCRIPT.event("pj-anon-1", "page_view", "web", 2),
            SCRIPT.event("pj-anon-1", "add_to_cart", "web", 3),
            identify,
            SCRIPT.purchase("pj-cara", 4, 30.0, "books")));

    List<CustomerProfile> ann = versionsOf("pj-ann", 5);
    CustomerProfile afterFive = ann.get(4);
    assertThat(afterFive.getCountsByChannel())
        .containsOnly(
            Map.entry("web", 1L),
            Map.entry("app", 1L),
            Map.entry("pos", 2L),
            Map.entry("call_center", 1L));
    assertThat(afterFive.getHistoricValue()).isEqualTo(125.0);
    assertThat(afterFive.getWindows().get("1h")).isEqualTo(new WindowTotals(5L, 2L, 125.0));
    assertThat(afterFive.getCategories30d()).containsOnly(Map.entry("baby", 2L));
    assertThat(afterFive.getOpenCases()).extracting(c -> c.getCaseId()).containsExactly("c-1");
    assertThat(afterFive.getRfm().getFrequency()).isEqualTo(2);
    // entered with the second baby purchase, not before
    assertThat(ann.get(3).getSegments()).isEmpty();
    assertThat(afterFive.getSegments()).containsExactly("baby-buyers");
    // 20 + 20 (two purchases) - 10 (a call) + 5 (a web page view), decayed by half an hour
    assertThat(afterFive.getLeadScore().getScore()).isEqualTo(35);
    assertThat(afterFive.getLeadScore().getFactors())
        .extracting(ScoreFactor::getFactor)
        .containsExactly("purchase", "call_started", "page_view on web");
    assertThat(afterFive.getLeadScore().getFactors().get(0).getPoints()).isCloseTo(40, within(0.1));

    // 33 days later: the baby purchases roll off the 30-day window, and she leaves the segment
    topics.send(
        topics.catalog().touchpoints(),
        Touchpoint::getCustomerId,
        List.of(SCRIPT.event("pj-ann", "page_view", "web", (int) Duration.ofDays(33).toMinutes())));
    // her profile aged while she was away (its windows and categories moved on day by day), so
    // the version her return made is the one with it as its cause, after those valuations
    CustomerProfile last = versionCausedBy("pj-ann", "pj-ann-page_view-47520");
    assertThat(versionsOf("pj-ann", 6).subList(5, (int) last.getVersion() - 1))
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p.getLastCause().getType()).isEqualTo("profile_valued"));
    assertThat(last.getWindows().get("30d")).isEqualTo(new WindowTotals(1L, 0L, 0.0));
    assertThat(last.getWindows().get("1h")).isEqualTo(new WindowTotals(1L, 0L, 0.0));
    assertThat(last.getCategories30d()).isEmpty();
    assertThat(last.getCategories()).containsOnly(Map.entry("baby", 2L));
    assertThat(last.getSegments()).isEmpty();
    // the purchases decayed over 4.7 half-lives; the fresh page view counts in full
    assertThat(last.getLeadScore().getScore()).isEqualTo(6);
    assertThat(last.getTimeline())
        .extracting(TimelineEntry::getEventId)
        .startsWith("pj-ann-page_view-47520", "pj-ann-purchase-30", "pj-ann-call_started-20");
    assertThat(last.getTimeline().get(1).getSummary()).isEqualTo("baby");

    CustomerProfile bob = versionsOf("pj-bob", 2).get(1);
    assertThat(bob.getWindows().get("1h").getEvents()).isEqualTo(1);
    assertThat(bob.getWindows().get("24h").getEvents()).isEqualTo(2);

    // Redis holds the same profile (as JSON, without the timeline) and the timeline beside it
    assertRedisHolds(last);
    assertRedisHolds(bob);

    CustomerProfile cara = versionsOf("pj-cara", 2).get(1);
    assertThat(cara.getPreferences().getConsentEmail()).isTrue();
    assertThat(cara.getPreferences().getPreferredChannel()).isEqualTo("sms");
    // 20 for the purchase, 10 for the email
    assertThat(cara.getLeadScore().getScore()).isEqualTo(30);

    List<TriggerFired> valuable =
        topics.firings(job, t -> t.getRuleId().equals("valuable"), 1, Duration.ofSeconds(60));
    assertThat(valuable)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getCustomerId()).isEqualTo("pj-ann");
              assertThat(t.getExplanation()).contains("profile.historicValue = 125.0 crossed");
            });
  }

  @Test
  @Order(2)
  void aMergedVisitorIsFoldedIntoTheCustomerOnce() throws Exception {
    versionsOf("pj-anon-1", 2);
    versionsOf("pj-cara", 2);
    IdentityMerge merge =
        IdentityMerge.newBuilder()
            .setEventId("merge-1")
            .setFrom("pj-anon-1")
            .setInto("pj-cara")
            .setNamespace("email")
            .setIdentifier("5f1e...hashed")
            .setReason("identify")
            .setOccurredAt(T0)
            .setCause(new dev.engage.avro.Cause("pj-cara-identify-1", "identify", Instant.now()))
            .build();
    // sent twice: the second is a replay and must not count the visitor again
    topics.send(topics.catalog().identityMerges(), IdentityMerge::getInto, List.of(merge, merge));

    CustomerProfile cara = versionsOf("pj-cara", 3).get(2);
    assertThat(cara.getCountsByType())
        .containsOnly(
            Map.entry("page_view", 1L),
            Map.entry("add_to_cart", 1L),
            Map.entry("identify", 1L),
            Map.entry("purchase", 1L));
    assertThat(cara.getFirstSeen()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    assertThat(cara.getTimeline()).hasSize(4);
    assertThat(cara.getLastCause().getType()).isEqualTo("identity_merge");
    CustomerProfile visitor = versionsOf("pj-anon-1", 3).get(2);
    assertThat(visitor.getMergedInto()).isEqualTo("pj-cara");
    assertThat(visitor.getCountsByType()).isEmpty();
    assertRedisHolds(cara);
    assertThat(redis.exists(RedisKeys.timeline("pj-anon-1"))).isFalse();
    // no fourth version: the replayed merge changed nothing
    assertThat(versionsOf("pj-cara", 3)).hasSize(3);
  }

  @Test
  @Order(3)
  void segmentsAndScoringModelsPublishedWhileRunningApplyAtOnce() throws Exception {
    CustomerProfile before = versionsOf("pj-bob", 2).get(1);
    assertThat(before.getSegments()).isEmpty();
    int scoreBefore = before.getLeadScore().getScore();

    publish(
        """
        kind: segment
        id: browsers
        name: Looked at the web shop twice in 24 hours
        condition: "profile.windows['24h'].events >= 2 && profile.countsByChannel['web'] >= 2"
        """);
    CustomerProfile entered = versionsOf("pj-bob", 3).get(2);
    assertThat(entered.getSegments()).containsExactly("browsers");
    assertThat(entered.getLastCause().getType()).isEqualTo("segment_published");

    publish(
        """
        kind: scoring_model
        id: lead-score
        name: Lead score, web weighs more
        halfLife: 7d
        cap: 100
        events:
          - {type: page_view, channel: web, points: 15}
          - {type: purchase, points: 20}
          - {type: call_started, points: -10}
        traits:
          - {name: gave an email, condition: "'email' in profile.identities", points: 10}
        """);
    CustomerProfile rescored = versionsOf("pj-bob", 4).get(3);
    assertThat(rescored.getLeadScore().getModelVersion()).isEqualTo(2);
    assertThat(rescored.getLeadScore().getScore()).isEqualTo(scoreBefore * 3);
    assertThat(rescored.getLastCause().getType()).isEqualTo("scoring_model_published");
    assertRedisHolds(rescored);
  }

  /** The customer's profile versions, in order, once at least {@code atLeast} arrived. */
  private static CustomerProfile versionCausedBy(String customer, String eventId) {
    List<CustomerProfile> found =
        topics.records(
            job,
            topics.catalog().profiles(),
            p ->
                p.getCustomerId().equals(customer) && p.getLastCause().getEventId().equals(eventId),
            1,
            Duration.ofSeconds(60));
    assertThat(found).as("the version %s made", eventId).hasSize(1);
    return found.get(0);
  }

  private static List<CustomerProfile> versionsOf(String customer, int atLeast) {
    Predicate<CustomerProfile> theirs = p -> p.getCustomerId().equals(customer);
    List<CustomerProfile> versions =
        topics.records(job, topics.catalog().profiles(), theirs, atLeast, Duration.ofSeconds(60));
    assertThat(versions).extracting(CustomerProfile::getVersion).isSorted();
    assertThat(versions).hasSizeGreaterThanOrEqualTo(atLeast);
    return versions;
  }

  private static void assertRedisHolds(CustomerProfile expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String key = RedisKeys.profile(expected.getCustomerId());
    while (!String.valueOf(expected.getVersion()).equals(redis.hget(key, "version"))
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    var json = AvroToJson.write(expected);
    json.remove("timeline");
    assertThat(redis.hget(key, "version")).isEqualTo(String.valueOf(expected.getVersion()));
    assertThat(redis.hget(key, "json")).isEqualTo(json.toString());
    assertThat(new RedisProfiles(redis).read(expected.getCustomerId())).contains(expected);
  }

  private static void publish(String source) {
    definitions.publish(source, "yaml", "it");
  }
}

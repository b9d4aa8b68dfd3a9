package dev.engage.jobs;

import dev.engage.jobs.disruption.DisruptionJob;
import dev.engage.jobs.profile.ProfileJob;
import dev.engage.jobs.redis.RedisProfileSink;
import dev.engage.jobs.triggers.TriggerJob;
import dev.engage.schemas.topics.TopicCatalog;
import java.time.Duration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole Flink application, from its Kafka topics to its Kafka topics: the flight-disruption
 * join (flight status and bookings to per-passenger disruption touchpoints), the live profile
 * (touchpoints, identity merges and the published segments and scoring model to profile versions in
 * Kafka and Redis) and the trigger pipeline (touchpoints, profiles and rules to triggers). {@link
 * StreamJobsMain} and the integration tests share this wiring, each with its own topic names. It
 * reads top to bottom like the data flow in DESIGN.md.
 */
public final class EngageApplication {
  private EngageApplication() {}

  public static void wire(
      StreamExecutionEnvironment env,
      KafkaEndpoints kafka,
      TopicCatalog topics,
      ApplicationSettings settings) {
    String groupId = settings.groupId();
    Duration outOfOrderness = settings.outOfOrderness();
    var statuses =
        env.fromSource(
                kafka.flightStatus(topics.flightStatus().name(), groupId),
                EventTime.flightStatus(outOfOrderness),
                "flight.status")
            .uid("flight-status-source");
    var bookings =
        env.fromSource(
                kafka.bookings(topics.bookings().name(), groupId),
                EventTime.bookings(outOfOrderness),
                "bookings")
            .uid("bookings-source");
    var profiles =
        env.fromSource(
                kafka.profiles(topics.profiles().name(), groupId),
                EventTime.neverHoldsBack(),
                "profiles")
            .uid("profiles-source");
    var touchpoints =
        env.fromSource(
                kafka.touchpoints(topics.touchpoints().name(), groupId),
                EventTime.touchpoints(outOfOrderness),
                "touchpoints")
            .uid("touchpoints-source");
    var rules =
        env.fromSource(kafka.rules(topics.rules().name()), EventTime.neverHoldsBack(), "rules")
            .uid("rules-source");
    var merges =
        env.fromSource(
                kafka.identityMerges(topics.identityMerges().name(), groupId),
                EventTime.neverHoldsBack(),
                "identity.merges")
            .uid("identity-merges-source");
    var transfers =
        env.fromSource(
                kafka.profileTransfers(topics.profileTransfers().name(), groupId),
                EventTime.neverHoldsBack(),
                "profile.transfers")
            .uid("profile-transfers-source");

    // disruptions go out as touchpoints, so triggers, profiles and backtests all see them
    DisruptionJob.disruptions(statuses, bookings, profiles, settings.severity())
        .sinkTo(kafka.touchpointsSink(topics.touchpoints().name()))
        .uid("disruption-touchpoints-sink")
        .name("disruption touchpoints");
    var profileVersions =
        ProfileJob.profiles(
            touchpoints,
            merges,
            transfers,
            rules,
            settings.redisUri(),
            settings.profileTimeToLive());
    profileVersions
        .sinkTo(kafka.profilesSink(topics.profiles().name()))
        .uid("profiles-sink")
        .name("profiles");
    profileVersions
        .sinkTo(
            new RedisProfileSink(
                settings.redisUri(), settings.redisMaxDelay(), ApplicationSettings.REDIS_GIVE_UP))
        .uid("redis-profiles-sink")
        .name("profiles to Redis");
    // the profile operator's own loop: merged-away states reach their survivor through Kafka
    ProfileJob.transfers(profileVersions)
        .sinkTo(kafka.profileTransfersSink(topics.profileTransfers().name()))
        .uid("profile-transfers-sink")
        .name("profile transfers");
    TriggerJob.triggers(touchpoints, profiles, rules)
        .sinkTo(kafka.triggers(topics.triggers().name()))
        .uid("triggers-sink")
        .name("triggers");
  }
}

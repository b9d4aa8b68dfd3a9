package dev.engage.jobs;

import dev.engage.avro.CustomerProfile;
import dev.engage.jobs.disruption.DisruptionJob;
import dev.engage.jobs.profile.ProfileJob;
import dev.engage.jobs.redis.RedisProfileSink;
import dev.engage.jobs.triggers.TriggerJob;
import dev.engage.schemas.topics.TopicCatalog;
import org.apache.flink.streaming.api.datastream.DataStream;
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
    configure(env);
    ApplicationSources sources = new ApplicationSources(env, kafka, topics, settings);
    // disruptions go out as touchpoints, so triggers, profiles and backtests all see them
    DisruptionJob.disruptions(
            sources.flightStatus(),
            sources.bookings(),
            sources.profiles(),
            sources.erasures(),
            settings.severity())
        .sinkTo(kafka.touchpointsSink(topics.touchpoints().name()))
        .uid("disruption-touchpoints-sink")
        .name("disruption touchpoints");
    profiles(sources, kafka, topics, settings);
    TriggerJob.triggers(
            sources.touchpoints(),
            sources.profiles(),
            sources.erasures(),
            sources.rules(),
            kafka.rulesAtStart(topics.rules().name()))
        .sinkTo(kafka.triggers(topics.triggers().name()))
        .uid("triggers-sink")
        .name("triggers");
  }

  /**
   * Execution settings the application is written for (the benchmark sets them too):
   *
   * <ul>
   *   <li>Object reuse: each profile version goes to two chained sinks (Kafka and Redis), and
   *       without reuse Flink hands each a deep copy, timeline and all. It is safe here: the
   *       operators emit a fresh record each time and none changes a record it received.
   *   <li>A 10 ms network buffer timeout instead of 100 ms: a touchpoint waits at most that long in
   *       a half-filled buffer on its way to the keyed operators, which counts when Redis should
   *       follow a touchpoint within milliseconds.
   * </ul>
   */
  public static void configure(StreamExecutionEnvironment env) {
    env.getConfig().enableObjectReuse();
    env.setBufferTimeout(10);
  }

  /**
   * The live profile: touchpoints, merges and the published definitions to profile versions in the
   * profiles topic and in Redis, with merged-away states looping back through profile.transfers.
   * Returns the profile versions (for the benchmark, which runs this part alone).
   */
  public static DataStream<CustomerProfile> profiles(
      ApplicationSources sources,
      KafkaEndpoints kafka,
      TopicCatalog topics,
      ApplicationSettings settings) {
    var profileVersions =
        ProfileJob.profiles(
            sources.touchpoints(),
            sources.identityMerges(),
            sources.profileTransfers(),
            sources.erasures(),
            sources.rules(),
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
    // and an erasure reaches the ids merged into the customer through the same loop
    ProfileJob.cascadedErasures(profileVersions)
        .sinkTo(kafka.erasureSink(topics.erasure().name()))
        .uid("cascaded-erasures-sink")
        .name("cascaded erasures");
    return profileVersions;
  }
}

package dev.engage.jobs;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.DeadLetter;
import dev.engage.avro.Notification;
import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.jobs.analytics.Analytics;
import dev.engage.jobs.attribution.AttributionOperator;
import dev.engage.jobs.decisions.AgentTasks;
import dev.engage.jobs.decisions.DecisionDescriptors;
import dev.engage.jobs.decisions.DecisionJob;
import dev.engage.jobs.decisions.PropensityJob;
import dev.engage.jobs.disruption.DisruptionJob;
import dev.engage.jobs.profile.ProfileJob;
import dev.engage.jobs.triggers.TriggerJob;
import dev.engage.schemas.topics.TopicCatalog;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole Flink application, from its Kafka topics to its Kafka topics: the flight-disruption
 * join (flight status and bookings to per-passenger disruption touchpoints), the live profile
 * (touchpoints, identity merges and the published segments and scoring model to profile versions in
 * Kafka and Redis), the trigger pipeline (touchpoints, profiles and rules to triggers) and the
 * decisions (triggers, profiles, responses, rules and offers to next-best-actions, notifications
 * and decision records). {@link StreamJobsMain} and the integration tests share this wiring, each
 * with its own topic names. It reads top to bottom like the data flow in DESIGN.md.
 */
public final class EngageApplication {
  private EngageApplication() {}

  /** The application on Kafka and Redis, as {@link StreamJobsMain} runs it. */
  public static void wire(
      StreamExecutionEnvironment env,
      KafkaEndpoints kafka,
      TopicCatalog topics,
      ApplicationSettings settings) {
    wire(
        env,
        new KafkaSources(env, kafka, topics, settings),
        new KafkaAndRedisSinks(kafka, topics, settings),
        settings);
  }

  /** The application on the given sources and sinks (tests bring their own). */
  public static void wire(
      StreamExecutionEnvironment env,
      ApplicationSources sources,
      ApplicationSinks sinks,
      ApplicationSettings settings) {
    configure(env);
    var disruptions =
        DisruptionJob.disruptions(
            sources.flightStatus(),
            sources.bookings(),
            sources.profiles(),
            sources.erasures(),
            settings.severity(),
            settings.profileTimeToLive());
    // disruptions go out as touchpoints, so triggers, profiles and backtests all see them; they
    // enter through touchpoints.raw, as collected events do, and reach touchpoints through the
    // normalizer, which drops a repeat a restore replays
    disruptions
        .touchpoints()
        .sinkTo(sinks.derivedTouchpoints())
        .uid("disruption-touchpoints-sink")
        .name("disruption touchpoints");
    var profiles = profiles(sources, sinks, settings);
    var triggers = triggers(sources, sinks, settings);
    var decisions = decisions(triggers, sources, sinks, settings);
    // a record an operator threw on leaves for jobs.dlq, and the job goes on
    disruptions
        .deadLetters()
        .union(
            profiles.getSideOutput(DeadLetterOutput.DEAD_LETTERS),
            triggers.getSideOutput(DeadLetterOutput.DEAD_LETTERS),
            decisions)
        .sinkTo(sinks.deadLetters())
        .uid("dead-letters-sink")
        .name("dead letters");
  }

  /**
   * The trigger pipeline: touchpoints, profiles and the published rules to firings on the triggers
   * topic. Returns the firings (for the decisions, and for the benchmark, which runs it alone).
   */
  public static SingleOutputStreamOperator<TriggerFired> triggers(
      ApplicationSources sources, ApplicationSinks sinks, ApplicationSettings settings) {
    var triggers =
        TriggerJob.triggers(
            sources.touchpoints(),
            sources.profiles(),
            sources.erasures(),
            sources.rules(),
            sources.rulesAtStart(),
            settings.profileTimeToLive());
    triggers.sinkTo(sinks.triggers()).uid("triggers-sink").name("triggers (exactly once)");
    return triggers;
  }

  /**
   * Decisions: triggers, profiles, responses and the rules and offers to next-best-actions (the
   * actions topic and Redis), notifications (the exactly-once outbox) and decision records (the
   * decisions topic and Redis), and agent tasks for the customers a notification could not reach
   * (Redis). The firings come straight from the trigger operator, not back through their topic: one
   * hop less between a touchpoint and its next-best-action. Conversions are attributed to the
   * touches before them (the attributions topic), and the analytics figures of campaigns, channels,
   * days and agents are kept as totals in Redis. Returns what the decision and propensity operators
   * threw on.
   */
  public static DataStream<DeadLetter> decisions(
      DataStream<TriggerFired> triggers,
      ApplicationSources sources,
      ApplicationSinks sinks,
      ApplicationSettings settings) {
    var responses = sources.responses();
    var lists =
        DecisionJob.decisions(
            triggers,
            sources.profiles(),
            responses,
            sources.erasures(),
            sources.rules(),
            sources.propensities(),
            settings.decisions(),
            settings.profileTimeToLive());
    lists.sinkTo(sinks.actions()).uid("actions-sink").name("actions");
    lists.sinkTo(sinks.actionsToRedis()).uid("redis-actions-sink").name("actions to Redis");
    var notifications = lists.getSideOutput(DecisionDescriptors.NOTIFICATIONS);
    notifications
        .sinkTo(sinks.notifications())
        .uid("notifications-sink")
        .name("notifications (exactly once)");
    // each conversion credited to the customer's touchpoints and the notifications sent before it
    var attributions =
        sources
            .touchpoints()
            .keyBy(Touchpoint::getCustomerId)
            .connect(notifications.keyBy(Notification::getCustomerId))
            .process(AttributionOperator.of(settings.analytics()))
            .uid("attribution")
            .name("attribution");
    attributions
        .sinkTo(sinks.attributions())
        .uid("attributions-sink")
        .name("attributions (exactly once)");
    // the estimates are per action and segment: counted apart and read back through Kafka
    var counts = PropensityJob.counts(lists.getSideOutput(DecisionDescriptors.OUTCOMES));
    counts.sinkTo(sinks.propensities()).uid("propensities-sink").name("propensities");
    var decided = lists.getSideOutput(DecisionDescriptors.DECISIONS);
    decided.sinkTo(sinks.decisions()).uid("decisions-sink").name("decisions");
    decided.sinkTo(sinks.decisionsToRedis()).uid("redis-decisions-sink").name("decisions to Redis");
    AgentTasks.of(decided, responses)
        .sinkTo(sinks.tasksToRedis())
        .uid("redis-tasks-sink")
        .name("agent tasks to Redis");
    Analytics.totals(
            triggers,
            decided,
            responses,
            sources.touchpoints(),
            attributions,
            sources.profiles(),
            sources.erasures(),
            settings.analytics().goals(),
            settings.analytics().conversionWindow())
        .sinkTo(sinks.figuresToRedis())
        .uid("redis-figures-sink")
        .name("analytics figures to Redis");
    return lists
        .getSideOutput(DeadLetterOutput.DEAD_LETTERS)
        .union(counts.getSideOutput(DeadLetterOutput.DEAD_LETTERS));
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
  public static SingleOutputStreamOperator<CustomerProfile> profiles(
      ApplicationSources sources, ApplicationSinks sinks, ApplicationSettings settings) {
    var profileVersions =
        ProfileJob.profiles(
            sources.touchpoints(),
            sources.identityMerges(),
            sources.profileTransfers(),
            sources.erasures(),
            sources.rules(),
            settings.redisUri(),
            settings.profileTimeToLive());
    profileVersions.sinkTo(sinks.profiles()).uid("profiles-sink").name("profiles");
    profileVersions
        .sinkTo(sinks.profilesToRedis())
        .uid("redis-profiles-sink")
        .name("profiles to Redis");
    // the profile operator's own loop: merged-away states reach their survivor through Kafka
    ProfileJob.transfers(profileVersions)
        .sinkTo(sinks.profileTransfers())
        .uid("profile-transfers-sink")
        .name("profile transfers");
    // and an erasure reaches the ids merged into the customer through the same loop
    ProfileJob.cascadedErasures(profileVersions)
        .sinkTo(sinks.cascadedErasures())
        .uid("cascaded-erasures-sink")
        .name("cascaded erasures");
    return profileVersions;
  }
}

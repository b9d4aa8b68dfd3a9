package dev.engage.jobs;

import dev.engage.jobs.disruption.DisruptionJob;
import dev.engage.jobs.disruption.DisruptionSeverity;
import dev.engage.jobs.profile.ProfileJob;
import dev.engage.jobs.triggers.TriggerJob;
import dev.engage.schemas.topics.TopicCatalog;
import java.time.Duration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole Flink application, from its Kafka topics to its Kafka topics: the flight-disruption
 * join (flight status and bookings to per-passenger disruption touchpoints), the live profile
 * (touchpoints to profile versions) and the trigger pipeline (touchpoints, profiles and rules to
 * triggers). {@link StreamJobsMain} and the integration tests share this wiring, each with its own
 * topic names. It reads top to bottom like the data flow in DESIGN.md.
 */
public final class EngageApplication {
  private EngageApplication() {}

  public static void wire(
      StreamExecutionEnvironment env,
      KafkaEndpoints kafka,
      TopicCatalog topics,
      String groupId,
      Duration outOfOrderness,
      DisruptionSeverity severity) {
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

    // disruptions go out as touchpoints, so triggers, profiles and backtests all see them
    DisruptionJob.disruptions(statuses, bookings, profiles, severity)
        .sinkTo(kafka.touchpointsSink(topics.touchpoints().name()))
        .uid("disruption-touchpoints-sink")
        .name("disruption touchpoints");
    ProfileJob.profiles(touchpoints)
        .sinkTo(kafka.profilesSink(topics.profiles().name()))
        .uid("profiles-sink")
        .name("profiles");
    TriggerJob.triggers(touchpoints, profiles, rules)
        .sinkTo(kafka.triggers(topics.triggers().name()))
        .uid("triggers-sink")
        .name("triggers");
  }
}

package dev.engage.jobs;

import dev.engage.avro.Booking;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.FlightStatus;
import dev.engage.avro.IdentityMerge;
import dev.engage.avro.ProfileTransfer;
import dev.engage.avro.PropensityCounts;
import dev.engage.avro.Response;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.triggers.RuleChange;
import dev.engage.jobs.triggers.RulesAtStart;
import dev.engage.schemas.topics.TopicCatalog;
import java.util.function.Supplier;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The application's sources on Kafka, named by the {@link TopicCatalog}, each created on first use
 * and then shared, so the pipelines that read the same topic read it once. The ids ({@code uid})
 * stay stable across versions, as checkpoints need.
 */
public final class KafkaSources implements ApplicationSources {
  private final StreamExecutionEnvironment env;
  private final KafkaEndpoints kafka;
  private final TopicCatalog topics;
  private final ApplicationSettings settings;
  private DataStream<FlightStatus> flightStatus;
  private DataStream<Booking> bookings;
  private DataStream<CustomerProfile> profiles;
  private DataStream<Touchpoint> touchpoints;
  private DataStream<RuleChange> rules;
  private DataStream<IdentityMerge> identityMerges;
  private DataStream<ProfileTransfer> profileTransfers;
  private DataStream<ErasureRequest> erasures;
  private DataStream<Response> responses;
  private DataStream<PropensityCounts> propensities;

  public KafkaSources(
      StreamExecutionEnvironment env,
      KafkaEndpoints kafka,
      TopicCatalog topics,
      ApplicationSettings settings) {
    this.env = env;
    this.kafka = kafka;
    this.topics = topics;
    this.settings = settings;
  }

  @Override
  public DataStream<FlightStatus> flightStatus() {
    return flightStatus =
        once(
            flightStatus,
            () ->
                env.fromSource(
                        kafka.flightStatus(topics.flightStatus().name(), settings.groupId()),
                        EventTime.flightStatus(
                            settings.tuning().outOfOrderness(), settings.tuning().idleAfter()),
                        "flight.status")
                    .uid("flight-status-source"));
  }

  @Override
  public DataStream<Booking> bookings() {
    return bookings =
        once(
            bookings,
            () ->
                env.fromSource(
                        kafka.bookings(topics.bookings().name(), settings.groupId()),
                        EventTime.bookings(
                            settings.tuning().outOfOrderness(), settings.tuning().idleAfter()),
                        "bookings")
                    .uid("bookings-source"));
  }

  @Override
  public DataStream<CustomerProfile> profiles() {
    return profiles =
        once(
            profiles,
            () ->
                env.fromSource(
                        kafka.profiles(topics.profiles().name(), settings.groupId()),
                        EventTime.neverHoldsBack(),
                        "profiles")
                    .uid("profiles-source"));
  }

  @Override
  public DataStream<Touchpoint> touchpoints() {
    return touchpoints =
        once(
            touchpoints,
            () ->
                env.fromSource(
                        kafka.touchpoints(topics.touchpoints().name(), settings.groupId()),
                        EventTime.touchpoints(
                            settings.tuning().outOfOrderness(), settings.tuning().idleAfter()),
                        "touchpoints")
                    .uid("touchpoints-source"));
  }

  @Override
  public DataStream<RuleChange> rules() {
    return rules =
        once(
            rules,
            () ->
                env.fromSource(
                        kafka.rules(topics.rules().name()), EventTime.neverHoldsBack(), "rules")
                    .uid("rules-source"));
  }

  @Override
  public DataStream<IdentityMerge> identityMerges() {
    return identityMerges =
        once(
            identityMerges,
            () ->
                env.fromSource(
                        kafka.identityMerges(topics.identityMerges().name(), settings.groupId()),
                        EventTime.neverHoldsBack(),
                        "identity.merges")
                    .uid("identity-merges-source"));
  }

  @Override
  public DataStream<ProfileTransfer> profileTransfers() {
    return profileTransfers =
        once(
            profileTransfers,
            () ->
                env.fromSource(
                        kafka.profileTransfers(
                            topics.profileTransfers().name(), settings.groupId()),
                        EventTime.neverHoldsBack(),
                        "profile.transfers")
                    .uid("profile-transfers-source"));
  }

  @Override
  public DataStream<ErasureRequest> erasures() {
    return erasures =
        once(
            erasures,
            () ->
                env.fromSource(
                        kafka.erasures(topics.erasure().name(), settings.groupId()),
                        EventTime.neverHoldsBack(),
                        "erasure")
                    .uid("erasure-source"));
  }

  @Override
  public DataStream<Response> responses() {
    return responses =
        once(
            responses,
            () ->
                env.fromSource(
                        kafka.responses(topics.responses().name(), settings.groupId()),
                        EventTime.neverHoldsBack(),
                        "responses")
                    .uid("responses-source"));
  }

  @Override
  public DataStream<PropensityCounts> propensities() {
    return propensities =
        once(
            propensities,
            () ->
                env.fromSource(
                        kafka.propensities(topics.propensities().name()),
                        EventTime.neverHoldsBack(),
                        "propensities")
                    .uid("propensities-source"));
  }

  @Override
  public RulesAtStart rulesAtStart() {
    return kafka.rulesAtStart(topics.rules().name());
  }

  private static <T> DataStream<T> once(DataStream<T> made, Supplier<DataStream<T>> make) {
    return made != null ? made : make.get();
  }
}

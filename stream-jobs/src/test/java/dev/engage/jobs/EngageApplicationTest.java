package dev.engage.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.AgentTask;
import dev.engage.avro.Attribution;
import dev.engage.avro.Booking;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.DeadLetter;
import dev.engage.avro.Decision;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.FlightStatus;
import dev.engage.avro.IdentityMerge;
import dev.engage.avro.NextBestActions;
import dev.engage.avro.Notification;
import dev.engage.avro.ProfileTransfer;
import dev.engage.avro.PropensityCounts;
import dev.engage.avro.Response;
import dev.engage.avro.RuleRecord;
import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.jobs.analytics.Figure;
import dev.engage.jobs.triggers.RuleChange;
import dev.engage.jobs.triggers.RulesAtStart;
import dev.engage.schemas.redis.AnalyticsKeys;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * The whole application's wiring on sources and sinks of the test's own, no Kafka and no Redis:
 * what {@link EngageApplication#wire} takes is all it reads and writes.
 */
class EngageApplicationTest {
  private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
  private static final String BIG_BASKET =
      """
      id: big-basket
      name: Big basket
      when: {kind: event, condition: "event.type == 'purchase' && event.amount > 200.0"}
      action: {code: THANK_YOU}
      """;

  @Test
  void touchpointsAndARuleOfTheTestsOwnGiveProfilesAndFiringsInItsOwnSinks() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    Collected collected = new Collected("wiring");
    EngageApplication.wire(
        env,
        new InMemorySources(
            env,
            List.of(
                purchase("ann", 250.0, 1), purchase("bob", 20.0, 2), purchase("ann", 300.0, 3))),
        collected,
        JobTopics.settings("wiring", Duration.ofDays(90), URI.create("redis://127.0.0.1:1")));

    env.execute("wiring");

    assertThat(collected.of("triggers"))
        .map(TriggerFired.class::cast)
        .extracting(TriggerFired::getCustomerId, TriggerFired::getRuleId)
        .containsOnly(org.assertj.core.groups.Tuple.tuple("ann", "big-basket"))
        .isNotEmpty();
    assertThat(collected.of("profiles"))
        .map(CustomerProfile.class::cast)
        .filteredOn(p -> p.getCustomerId().equals("ann"))
        .extracting(CustomerProfile::getVersion)
        .contains(2L);
    Map<String, Double> totals = new HashMap<>();
    collected.of("figures-to-redis").stream()
        .map(Figure.class::cast)
        .forEach(f -> totals.merge(f.key(), f.value(), Math::max));
    assertThat(totals)
        .containsEntry(AnalyticsKeys.campaigns() + "\nfired|big-basket", 2.0)
        .containsEntry(AnalyticsKeys.attribution() + "\ncount|total|conversions", 3.0)
        .containsEntry(AnalyticsKeys.attribution() + "\nvalue|total|conversions", 570.0)
        .containsEntry(AnalyticsKeys.attribution() + "\nlinear|channel|web", 3.0)
        .containsEntry(AnalyticsKeys.daily() + "\nconverted|2026-11-02", 3.0);
    assertThat(collected.of("dead-letters")).isEmpty();
  }

  private static Touchpoint purchase(String customer, double amount, int minutes) {
    Instant at = T0.plus(Duration.ofMinutes(minutes));
    return Touchpoint.newBuilder()
        .setEventId(customer + "-" + minutes)
        .setCustomerId(customer)
        .setType("purchase")
        .setChannel("web")
        .setSource("test")
        .setAmount(amount)
        .setOccurredAt(at)
        .setReceivedAt(at)
        .build();
  }

  /** The rule above and the given touchpoints; every other input is empty. */
  private static final class InMemorySources implements ApplicationSources {
    private final StreamExecutionEnvironment env;
    private final DataStream<Touchpoint> touchpoints;
    private final DataStream<RuleChange> rules;
    private final Map<Class<?>, DataStream<?>> empty = new ConcurrentHashMap<>();

    InMemorySources(StreamExecutionEnvironment env, List<Touchpoint> touchpoints) {
      this.env = env;
      ArrayList<Touchpoint> given = new ArrayList<>(touchpoints);
      this.touchpoints =
          bounded(
              given.size(),
              offset -> given.get((int) offset),
              new AvroTypeInfo<>(Touchpoint.class),
              EventTime.touchpoints(Duration.ZERO, Duration.ofSeconds(30)));
      this.rules =
          bounded(
              1,
              offset ->
                  RuleChange.read(
                      "big-basket",
                      RuleRecord.newBuilder()
                          .setId("big-basket")
                          .setKind("rule")
                          .setVersion(1)
                          .setSource(BIG_BASKET)
                          .setUpdatedAt(T0)
                          .build(),
                      0,
                      offset),
              TypeInformation.of(RuleChange.class),
              // not idle, unlike the rules topic's: the end of input waits for the rule
              WatermarkStrategy.noWatermarks());
    }

    /** The records the function makes of the offsets 0 to count - 1, and then the end. */
    private <T> DataStream<T> bounded(
        long count,
        SerializableLongFunction<T> record,
        TypeInformation<T> type,
        WatermarkStrategy<T> time) {
      return env.fromSource(
          new DataGeneratorSource<>(record::apply, count, type), time, "test " + type);
    }

    @Override
    public DataStream<Touchpoint> touchpoints() {
      return touchpoints;
    }

    @Override
    public DataStream<RuleChange> rules() {
      return rules;
    }

    /** The trigger operator reads the rule at offset 0 before it evaluates a touchpoint. */
    @Override
    public RulesAtStart rulesAtStart() {
      return RulesAtStart.of(Map.of(0, 0L));
    }

    @Override
    public DataStream<FlightStatus> flightStatus() {
      return none(FlightStatus.class);
    }

    @Override
    public DataStream<Booking> bookings() {
      return none(Booking.class);
    }

    @Override
    public DataStream<CustomerProfile> profiles() {
      return none(CustomerProfile.class);
    }

    @Override
    public DataStream<IdentityMerge> identityMerges() {
      return none(IdentityMerge.class);
    }

    @Override
    public DataStream<ProfileTransfer> profileTransfers() {
      return none(ProfileTransfer.class);
    }

    @Override
    public DataStream<ErasureRequest> erasures() {
      return none(ErasureRequest.class);
    }

    @Override
    public DataStream<Response> responses() {
      return none(Response.class);
    }

    @Override
    public DataStream<PropensityCounts> propensities() {
      return none(PropensityCounts.class);
    }

    /**
     * An input with no record. Flink's generator source makes one record of a count of 0, so this
     * is a sequence of one number turned into no record.
     */
    @SuppressWarnings("unchecked")
    private <T extends SpecificRecordBase> DataStream<T> none(Class<T> type) {
      return (DataStream<T>)
          empty.computeIfAbsent(
              type,
              t ->
                  env.fromSequence(0, 0)
                      .flatMap((Long n, Collector<T> out) -> {})
                      .returns(new AvroTypeInfo<>(type)));
    }
  }

  private interface SerializableLongFunction<T> extends java.io.Serializable {
    T apply(long offset);
  }

  /** Every output collected in memory by sink name, for this test's JVM (MiniCluster). */
  private static final class Collected implements ApplicationSinks {
    private static final Map<String, List<Object>> RECORDS = new ConcurrentHashMap<>();
    private final String prefix;

    Collected(String prefix) {
      this.prefix = prefix;
    }

    List<Object> of(String sink) {
      return RECORDS.getOrDefault(prefix + "/" + sink, List.of());
    }

    private <T> Sink<T> named(String sink) {
      String key = prefix + "/" + sink;
      RECORDS.put(key, new CopyOnWriteArrayList<>());
      return new CollectingSink<>(key);
    }

    @Override
    public Sink<Touchpoint> derivedTouchpoints() {
      return named("derived-touchpoints");
    }

    @Override
    public Sink<DeadLetter> deadLetters() {
      return named("dead-letters");
    }

    @Override
    public Sink<TriggerFired> triggers() {
      return named("triggers");
    }

    @Override
    public Sink<CustomerProfile> profiles() {
      return named("profiles");
    }

    @Override
    public Sink<CustomerProfile> profilesToRedis() {
      return named("profiles-to-redis");
    }

    @Override
    public Sink<ProfileTransfer> profileTransfers() {
      return named("profile-transfers");
    }

    @Override
    public Sink<ErasureRequest> cascadedErasures() {
      return named("cascaded-erasures");
    }

    @Override
    public Sink<NextBestActions> actions() {
      return named("actions");
    }

    @Override
    public Sink<NextBestActions> actionsToRedis() {
      return named("actions-to-redis");
    }

    @Override
    public Sink<Notification> notifications() {
      return named("notifications");
    }

    @Override
    public Sink<PropensityCounts> propensities() {
      return named("propensities");
    }

    @Override
    public Sink<Decision> decisions() {
      return named("decisions");
    }

    @Override
    public Sink<Decision> decisionsToRedis() {
      return named("decisions-to-redis");
    }

    @Override
    public Sink<Attribution> attributions() {
      return named("attributions");
    }

    @Override
    public Sink<AgentTask> tasksToRedis() {
      return named("tasks-to-redis");
    }

    @Override
    public Sink<Figure> figuresToRedis() {
      return named("figures-to-redis");
    }

    private record CollectingSink<T>(String key) implements Sink<T> {
      @Override
      public SinkWriter<T> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
          @Override
          public void write(T element, Context context) {
            RECORDS.get(key).add(element);
          }

          @Override
          public void flush(boolean endOfInput) {}

          @Override
          public void close() {}
        };
      }
    }
  }
}

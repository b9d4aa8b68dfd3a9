package dev.engage.jobs.analytics;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ErasureRequest;
import dev.engage.schemas.redis.AnalyticsKeys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * What each customer adds to the 7P view of their segments ({@link AnalyticsKeys#segments()}),
 * keyed by customer: with every profile version, the change from what its previous version added,
 * so that the totals downstream are always those of the customers' latest versions. A customer
 * counts in each of their segments and in {@value #ALL}:
 *
 * <ul>
 *   <li>{@code customers}
 *   <li>product: {@code product:CATEGORY}, their most bought category
 *   <li>price: {@code price:BAND}, the band of their average order value (buyers only)
 *   <li>place: {@code place:CHANNEL}, the channel they use most
 *   <li>people: {@code people:calls}, their calls to the contact center
 *   <li>process: {@code process:openCases}, their open service cases, and {@code
 *       process:withOpenCase}, whether they have one
 * </ul>
 *
 * Promotion (offer response per segment) comes from the propensity counts the decisions already
 * keep per segment; physical evidence has no data source in Engage.
 *
 * <p>A merged-away or erased customer takes back all they added.
 *
 * <p><b>What bounds its state.</b> Per customer, a version and what it added: a dozen numbers per
 * segment they are in.
 */
public final class SegmentFacets
    extends KeyedCoProcessFunction<String, CustomerProfile, ErasureRequest, Figure> {
  private static final long serialVersionUID = 1L;

  /** The pseudo-segment of all customers. */
  static final String ALL = "*";

  /** Upper bounds of the average order value bands, in the order's currency. */
  private static final double[] BANDS = {25, 100, 500};

  private static final String[] BAND_NAMES = {"under-25", "25-100", "100-500", "500-plus"};

  private static final MapStateDescriptor<String, Double> ADDED =
      new MapStateDescriptor<>("segment-facets-added", Types.STRING, Types.DOUBLE);
  private static final ValueStateDescriptor<Long> VERSION =
      new ValueStateDescriptor<>("segment-facets-version", Types.LONG);

  private transient MapState<String, Double> added;
  private transient ValueState<Long> version;

  @Override
  public void open(OpenContext context) {
    added = getRuntimeContext().getMapState(ADDED);
    version = getRuntimeContext().getState(VERSION);
  }

  @Override
  public void processElement1(CustomerProfile profile, Context ctx, Collector<Figure> out)
      throws Exception {
    Long seen = version.value();
    if (seen != null && profile.getVersion() <= seen) {
      return; // a version read again after a restore
    }
    version.update(profile.getVersion());
    boolean gone = profile.getMergedInto() != null || profile.getErasedAt() != null;
    replaceWith(gone ? Map.of() : facets(profile), out);
  }

  @Override
  public void processElement2(ErasureRequest erasure, Context ctx, Collector<Figure> out)
      throws Exception {
    replaceWith(Map.of(), out);
    version.clear();
  }

  /**
   * Emits the change from what the customer added to {@code now}, and keeps {@code now}. Only the
   * fields that changed are written: most versions (a page view) change none.
   */
  private void replaceWith(Map<String, Double> now, Collector<Figure> out) throws Exception {
    Map<String, Double> before = new HashMap<>();
    for (Map.Entry<String, Double> e : added.entries()) {
      before.put(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Double> e : before.entrySet()) {
      if (!now.containsKey(e.getKey())) {
        out.collect(new Figure(AnalyticsKeys.segments(), e.getKey(), -e.getValue()));
        added.remove(e.getKey());
      }
    }
    for (Map.Entry<String, Double> e : now.entrySet()) {
      double was = before.getOrDefault(e.getKey(), 0.0);
      if (e.getValue() != was) {
        out.collect(new Figure(AnalyticsKeys.segments(), e.getKey(), e.getValue() - was));
        added.put(e.getKey(), e.getValue());
      }
    }
  }

  /** The fields the profile counts for, in each of its segments and in {@link #ALL}. */
  static Map<String, Double> facets(CustomerProfile p) {
    Map<String, Double> one = new HashMap<>();
    one.put("customers", 1.0);
    top(p.getCategories()).ifPresent(c -> one.put("product:" + clean(c), 1.0));
    long purchases = p.getCountsByType().getOrDefault("purchase", 0L);
    if (purchases > 0) {
      one.put("price:" + band(p.getHistoricValue() / purchases), 1.0);
    }
    top(p.getCountsByChannel()).ifPresent(c -> one.put("place:" + clean(c), 1.0));
    long calls = p.getCountsByType().getOrDefault("call_started", 0L);
    if (calls > 0) {
      one.put("people:calls", (double) calls);
    }
    if (!p.getOpenCases().isEmpty()) {
      one.put("process:openCases", (double) p.getOpenCases().size());
      one.put("process:withOpenCase", 1.0);
    }
    List<String> segments = new ArrayList<>(p.getSegments());
    segments.add(ALL);
    Map<String, Double> fields = new HashMap<>();
    for (String segment : segments) {
      one.forEach((metric, v) -> fields.put(AnalyticsKeys.field(metric, segment), v));
    }
    return fields;
  }

  static String band(double averageOrder) {
    for (int i = 0; i < BANDS.length; i++) {
      if (averageOrder < BANDS[i]) {
        return BAND_NAMES[i];
      }
    }
    return BAND_NAMES[BANDS.length];
  }

  /** The key with the largest count; of equals, the first by name. */
  private static Optional<String> top(Map<String, Long> counts) {
    return counts.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .max(
            Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
                .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
        .map(Map.Entry::getKey);
  }

  /** A metric must not hold the field separator. */
  private static String clean(String name) {
    return name.replace(AnalyticsKeys.SEPARATOR, "/");
  }
}

package dev.engage.jobs.analytics;

import dev.engage.avro.Attribution;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Decision;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.Response;
import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import java.time.Duration;
import java.util.Set;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The analytics figures of the application, as totals for Redis ({@code AnalyticsKeys}): per
 * campaign its funnel from firing to conversion with the control group's, attribution by channel
 * and campaign, per day, per agent, and the 7P view per segment ({@link SegmentFacets}). Records
 * that count on their own go straight to the totals ({@link FiguresOf}); responses and conversions
 * go through each customer's {@link ConversionFunnel} first.
 */
public final class Analytics {
  private Analytics() {}

  /**
   * The figures' totals, each emitted whenever it changes.
   *
   * @param goals the touchpoint types that are conversions
   * @param window how long after an exposure a conversion counts for its campaign
   */
  public static DataStream<Figure> totals(
      DataStream<TriggerFired> triggers,
      DataStream<Decision> decisions,
      DataStream<Response> responses,
      DataStream<Touchpoint> touchpoints,
      DataStream<Attribution> attributions,
      DataStream<CustomerProfile> profiles,
      DataStream<ErasureRequest> erasures,
      Set<String> goals,
      Duration window) {
    Set<String> conversionTypes = Set.copyOf(goals);
    DataStream<FunnelEvent> funnel =
        decisions
            .flatMap(FunnelEvent::ofDecision)
            .returns(FunnelEvent.class)
            .name("decisions to the funnel")
            .uid("funnel-decisions")
            .union(
                responses
                    .map(FunnelEvent::ofResponse)
                    .name("responses to the funnel")
                    .uid("funnel-responses"),
                touchpoints
                    .filter(t -> conversionTypes.contains(t.getType()))
                    .name("conversions")
                    .uid("funnel-conversion-filter")
                    .map(FunnelEvent::ofConversion)
                    .name("conversions to the funnel")
                    .uid("funnel-conversions"),
                erasures
                    .map(FunnelEvent::ofErasure)
                    .name("erasures to the funnel")
                    .uid("funnel-erasures"));
    DataStream<Figure> counted =
        funnel
            .keyBy(FunnelEvent::customerId)
            .process(new ConversionFunnel(window))
            .uid("conversion-funnel")
            .name("conversion funnel");
    DataStream<Figure> facets =
        profiles
            .keyBy(CustomerProfile::getCustomerId)
            .connect(erasures.keyBy(ErasureRequest::getCustomerId))
            .process(new SegmentFacets())
            .uid("segment-facets")
            .name("segment facets (7P)");
    DataStream<Figure> increments =
        counted.union(
            facets,
            triggers
                .flatMap(FiguresOf::firing)
                .returns(Figure.class)
                .uid("figures-of-firings")
                .name("figures of firings"),
            decisions
                .flatMap(FiguresOf::decision)
                .returns(Figure.class)
                .uid("figures-of-decisions")
                .name("figures of decisions"),
            attributions
                .flatMap(FiguresOf::attribution)
                .returns(Figure.class)
                .uid("figures-of-attributions")
                .name("figures of attributions"),
            touchpoints
                .flatMap(FiguresOf::call)
                .returns(Figure.class)
                .uid("figures-of-calls")
                .name("figures of calls"));
    return increments
        .keyBy(Figure::key)
        .process(new FigureTotals())
        .uid("figure-totals")
        .name("figure totals");
  }
}

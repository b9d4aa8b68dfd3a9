package dev.engage.api.analytics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.api.actions.ActionStats;
import dev.engage.api.auth.Role;
import dev.engage.api.http.Json;
import dev.engage.api.http.QueryParams;
import dev.engage.api.http.RouteTable;
import dev.engage.schemas.http.Problem;
import dev.engage.schemas.redis.AnalyticsKeys;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * The marketer's figures, read from the hashes the stream jobs keep ({@link AnalyticsKeys}):
 * campaigns with uplift, attribution by channel or campaign, days, agents, and the 7P view per
 * segment. Each answer reads one hash; Redis down is a 503 like everywhere else.
 */
public final class AnalyticsRoutes {
  static final List<String> MODELS =
      List.of("firstTouch", "lastTouch", "linear", "timeDecay", "positionBased");
  static final List<String> DIMENSIONS = List.of("channel", "campaign");
  static final int DEFAULT_DAYS = 30;
  static final int MAX_DAYS = 366;

  private final UnifiedJedis redis;
  private final ActionStats actionStats;
  private final Clock clock;

  public AnalyticsRoutes(UnifiedJedis redis, ActionStats actionStats, Clock clock) {
    this.redis = redis;
    this.actionStats = actionStats;
    this.clock = clock;
  }

  public void register(RouteTable routes) {
    routes.get("/v1/analytics/campaigns", this::campaigns, Role.MARKETER);
    routes.get("/v1/analytics/campaigns/{id}", this::campaign, Role.MARKETER);
    routes.get("/v1/analytics/attribution", this::attribution, Role.MARKETER);
    routes.get("/v1/analytics/daily", this::daily, Role.MARKETER);
    routes.get("/v1/analytics/agents", this::agents, Role.MARKETER);
    routes.get("/v1/analytics/segments", this::segments, Role.MARKETER);
  }

  private AnalyticsHash read(String key) {
    return AnalyticsHash.of(redis.hgetAll(key));
  }

  private void campaigns(Context ctx) {
    ObjectNode answer = Json.MAPPER.createObjectNode();
    ArrayNode list = answer.putArray("campaigns");
    read(AnalyticsKeys.campaigns())
        .byName()
        .forEach((campaign, metrics) -> list.add(CampaignFigures.of(campaign, metrics)));
    Json.send(ctx, 200, answer);
  }

  private void campaign(Context ctx) {
    String id = ctx.pathParam("id");
    Map<String, Double> metrics = read(AnalyticsKeys.campaigns()).byName().get(id);
    if (metrics == null) {
      throw Problem.notFound("campaign " + id + " has no figures yet");
    }
    Json.send(ctx, 200, CampaignFigures.of(id, metrics));
  }

  /** Per channel or campaign, each model's credit and its share of all conversions. */
  private void attribution(Context ctx) {
    String by = choice(ctx, "by", DIMENSIONS, "channel");
    List<String> models =
        ctx.queryParam("model") == null ? MODELS : List.of(choice(ctx, "model", MODELS, null));
    Map<String, AnalyticsHash> hashes =
        AnalyticsHash.ofAttribution(redis.hgetAll(AnalyticsKeys.attribution()));
    AnalyticsHash totals = hashes.getOrDefault("total", new AnalyticsHash(Map.of()));
    double conversions = totals.get("conversions", "count");
    ObjectNode answer =
        Json.MAPPER
            .createObjectNode()
            .put("by", by)
            .put("conversions", Math.round(conversions))
            .put("value", totals.get("conversions", "value"));
    ArrayNode rows = answer.putArray("rows");
    hashes
        .getOrDefault(by, new AnalyticsHash(Map.of()))
        .byName()
        .forEach(
            (name, credits) -> {
              ObjectNode row = rows.addObject().put(by, name);
              ObjectNode credit = row.putObject("credit");
              ObjectNode share = row.putObject("share");
              for (String model : models) {
                double c = credits.getOrDefault(model, 0.0);
                credit.put(model, c);
                share.put(model, conversions == 0 ? 0 : c / conversions);
              }
            });
    Json.send(ctx, 200, answer);
  }

  /** Firings, sends and conversions per UTC day, oldest first, days without any as zeros. */
  private void daily(Context ctx) {
    int days = QueryParams.wholeNumber(ctx, "days", DEFAULT_DAYS, MAX_DAYS);
    AnalyticsHash daily = read(AnalyticsKeys.daily());
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    ObjectNode answer = Json.MAPPER.createObjectNode();
    ArrayNode list = answer.putArray("days");
    for (LocalDate day = today.minusDays(days - 1L); !day.isAfter(today); day = day.plusDays(1)) {
      String name = day.toString();
      list.addObject()
          .put("day", name)
          .put("fired", Math.round(daily.get(name, "fired")))
          .put("sent", Math.round(daily.get(name, "sent")))
          .put("converted", Math.round(daily.get(name, "converted")));
    }
    Json.send(ctx, 200, answer);
  }

  private void agents(Context ctx) {
    ObjectNode answer = Json.MAPPER.createObjectNode();
    ArrayNode list = answer.putArray("agents");
    read(AnalyticsKeys.agents())
        .byName()
        .forEach(
            (agent, m) -> {
              long calls = Math.round(m.getOrDefault("calls", 0.0));
              double seconds = m.getOrDefault("handleSeconds", 0.0);
              long shown = Math.round(m.getOrDefault("shown", 0.0));
              long accepted = Math.round(m.getOrDefault("accepted", 0.0));
              ObjectNode row =
                  list.addObject()
                      .put("agent", agent)
                      .put("calls", calls)
                      .put("handleSeconds", seconds)
                      .put("shown", shown)
                      .put("accepted", accepted)
                      .put("dismissed", Math.round(m.getOrDefault("dismissed", 0.0)))
                      .put("exposed", Math.round(m.getOrDefault("exposed", 0.0)))
                      .put("converted", Math.round(m.getOrDefault("converted", 0.0)));
              putRatio(row, "averageHandleSeconds", seconds, calls);
              putRatio(row, "acceptanceRate", accepted, shown);
            });
    Json.send(ctx, 200, answer);
  }

  /** The 7P view per segment, with promotion from the offer responses counted per segment. */
  private void segments(Context ctx) {
    Map<String, ActionStats.Counts> promotion = actionStats.bySegment();
    ObjectNode answer = Json.MAPPER.createObjectNode();
    answer.put(
        "physicalEvidence",
        "no data source: Engage collects no store visits, packaging or ratings");
    ArrayNode list = answer.putArray("segments");
    read(AnalyticsKeys.segments())
        .byName()
        .forEach((segment, metrics) -> list.add(SegmentFacetsView.of(segment, metrics, promotion)));
    Json.send(ctx, 200, answer);
  }

  private static void putRatio(ObjectNode row, String field, double over, long under) {
    if (under == 0) {
      row.putNull(field);
    } else {
      row.put(field, over / under);
    }
  }

  private static String choice(Context ctx, String param, List<String> allowed, String fallback) {
    String given = ctx.queryParam(param);
    if (given == null && fallback != null) {
      return fallback;
    }
    if (!allowed.contains(given)) {
      throw Problem.badRequest(param + " must be one of " + String.join(", ", allowed));
    }
    return given;
  }
}

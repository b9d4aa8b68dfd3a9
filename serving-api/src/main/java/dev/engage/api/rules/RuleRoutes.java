package dev.engage.api.rules;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.api.auth.Authenticator;
import dev.engage.api.auth.Role;
import dev.engage.api.http.Json;
import dev.engage.api.http.RouteTable;
import dev.engage.api.kafka.PublishException;
import dev.engage.avro.RuleRecord;
import dev.engage.avro.Touchpoint;
import dev.engage.rules.definition.Definition;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.definition.InvalidRuleException;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.definition.RuleProblem;
import dev.engage.rules.evaluation.Backtest;
import dev.engage.rules.evaluation.Lookback;
import dev.engage.rules.evaluation.TouchpointReplay;
import dev.engage.rules.store.RuleStore;
import dev.engage.rules.store.VersionConflictException;
import dev.engage.schemas.http.Problem;
import dev.engage.schemas.topics.Topic;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaException;

/**
 * The definitions marketing writes (trigger rules, segments, scoring models, offers) over HTTP,
 * with the same parser, store and backtest as {@code engage rules}: bodies are YAML or JSON,
 * problems come back with line, column and field, publishing goes to the compacted {@code rules}
 * topic.
 */
public final class RuleRoutes {
  static final Duration MAX_LOOKBACK = Duration.ofDays(30);

  private final RuleStore store;
  private final PublishedRules published;
  private final DefinitionParser parser;
  private final String bootstrapServers;
  private final Topic<String, Touchpoint> touchpoints;
  private final FireCounts fireCounts;
  private final RuleHistory history;
  private final ActionCodes actionCodes;
  private final Clock clock;

  public RuleRoutes(
      RuleStore store,
      PublishedRules published,
      DefinitionParser parser,
      String bootstrapServers,
      Topic<String, Touchpoint> touchpoints,
      FireCounts fireCounts,
      RuleHistory history,
      Clock clock) {
    this.store = store;
    this.published = published;
    this.fireCounts = fireCounts;
    this.history = history;
    this.parser = parser;
    this.actionCodes = new ActionCodes(parser);
    this.bootstrapServers = bootstrapServers;
    this.touchpoints = touchpoints;
    this.clock = clock;
  }

  public void register(RouteTable routes) {
    routes.get("/v1/rules", this::list, Role.MARKETER);
    routes.post("/v1/rules/validate", this::validate, Role.MARKETER);
    routes.get("/v1/rules/{id}", this::get, Role.MARKETER);
    routes.put("/v1/rules/{id}", this::put, Role.MARKETER);
    routes.delete("/v1/rules/{id}", this::delete, Role.MARKETER);
    routes.post("/v1/rules/{id}/backtest", this::backtest, Role.MARKETER);
    routes.get("/v1/rules/{id}/versions", this::versions, Role.MARKETER);
  }

  private void list(Context ctx) {
    ArrayNode list = Json.MAPPER.createArrayNode();
    kafka(this::current).values().forEach(r -> list.add(summary(r)));
    Json.send(ctx, 200, Json.MAPPER.createObjectNode().set("rules", list));
  }

  private void get(Context ctx) {
    RuleRecord record = published(ctx.pathParam("id"));
    ctx.header("ETag", etag(record.getVersion()));
    Json.send(ctx, 200, summary(record).put("source", record.getSource()));
  }

  /** Every version published (and every deletion), newest first, from the history topic. */
  private void versions(Context ctx) {
    String id = ctx.pathParam("id");
    List<RuleHistory.Change> changes = history.of(id);
    if (changes.isEmpty()) {
      throw Problem.notFound("no version of '" + id + "' is in the history");
    }
    ArrayNode versions = Json.MAPPER.createArrayNode();
    for (RuleHistory.Change change : changes) {
      if (change.deleted()) {
        versions.addObject().put("deleted", true).put("deletedAt", change.deletedAt().toString());
      } else {
        versions.add(
            version(change.version())
                .put("deleted", false)
                .put("source", change.version().getSource()));
      }
    }
    Json.send(ctx, 200, Json.MAPPER.createObjectNode().put("id", id).set("versions", versions));
  }

  private void put(Context ctx) {
    String id = ctx.pathParam("id");
    String source = source(ctx);
    Definition definition = parse(source);
    if (!definition.id().equals(id)) {
      throw invalid(
          List.of(
              parser.problemAt(
                  source,
                  "id",
                  "the definition's id '"
                      + definition.id()
                      + "' differs from '"
                      + id
                      + "' in the path")));
    }
    RuleStore.Draft draft = new RuleStore.Draft(source, format(ctx), startedFrom(ctx));
    RuleStore.Published published;
    try {
      published = kafka(() -> store.publish(draft, Authenticator.caller(ctx).name()));
    } catch (InvalidRuleException e) {
      throw invalid(e.problems());
    } catch (VersionConflictException e) {
      throw new Problem(409, "version-conflict", "Version conflict", e.getMessage())
          .withField("currentVersion", e.currentVersion())
          .withHeader("ETag", etag(e.currentVersion()));
    }
    int status = published.changed() && published.version() == 1 ? 201 : 200;
    ctx.header("ETag", etag(published.version()));
    Json.send(
        ctx,
        status,
        Json.MAPPER
            .createObjectNode()
            .put("id", published.id())
            .put("kind", definition.kind())
            .put("version", published.version())
            .put("enabled", definition.enabled())
            .put("changed", published.changed()));
  }

  private void delete(Context ctx) {
    String id = ctx.pathParam("id");
    if (!kafka(() -> store.delete(id))) {
      throw Problem.notFound("no definition '" + id + "' is published");
    }
    ctx.status(204);
  }

  /** Checks a definition without publishing it: 200 either way, with the problems if any. */
  private void validate(Context ctx) {
    String source = source(ctx);
    ObjectNode answer = Json.MAPPER.createObjectNode();
    try {
      Definition definition = parser.parse(source);
      answer.put("valid", true).put("id", definition.id()).put("kind", definition.kind());
      answer.putArray("errors");
    } catch (InvalidRuleException e) {
      answer.put("valid", false).set("errors", errors(e.problems()));
    }
    Json.send(ctx, 200, answer);
  }

  /**
   * Replays recent touchpoints through a trigger rule: the body's draft when there is one (its id
   * must be the path's), else the published version. {@code ?since=24h} (default), at most 30d.
   */
  private void backtest(Context ctx) {
    String id = ctx.pathParam("id");
    Duration since = lookback(ctx.queryParam("since"));
    boolean draft = !ctx.body().isBlank();
    String source = draft ? ctx.body() : published(id).getSource();
    Definition definition = parse(source);
    if (draft && !definition.id().equals(id)) {
      throw invalid(
          List.of(
              parser.problemAt(
                  source, "id", "the draft's id differs from '" + id + "' in the path")));
    }
    if (!(definition instanceof Rule rule)) {
      throw Problem.badRequest(
          id
              + " is "
              + Definition.described(definition.kind())
              + "; only trigger rules can be backtested");
    }
    Instant from = clock.instant().minus(since);
    long began = System.nanoTime();
    Backtest.Report report =
        kafka(() -> TouchpointReplay.run(bootstrapServers, touchpoints, from, rule));
    ObjectNode answer =
        Json.MAPPER
            .createObjectNode()
            .put("id", id)
            .put("draft", draft)
            .put("from", from.toString())
            .put("events", report.events())
            .put("firings", report.firings())
            .put("customers", report.customers())
            .put("seconds", (System.nanoTime() - began) / 1e9);
    ArrayNode samples = answer.putArray("samples");
    for (Backtest.Sample sample : report.samples()) {
      ObjectNode s =
          samples
              .addObject()
              .put("customerId", sample.customerId())
              .put("occurredAt", sample.firing().occurredAt().toString())
              .put("explanation", sample.firing().explanation());
      ObjectNode values = s.putObject("values");
      sample.firing().values().forEach(values::put);
    }
    if (rule.audience() != null) {
      answer.put(
          "note",
          "the audience needs profiles, which a backtest does not have; it was treated as not met");
    }
    Json.send(ctx, 200, answer);
  }

  /** The published definitions, from the followed copy, including every change made so far. */
  private Map<String, RuleRecord> current() {
    return published.current(store.committedEnds());
  }

  /**
   * The version the editor started from, from {@code If-Match} (an ETag of {@link #get} or {@link
   * #put}: {@code "3"}; {@code "0"} for a definition not yet published); empty without one.
   */
  private static OptionalInt startedFrom(Context ctx) {
    String match = ctx.header("If-Match");
    if (match == null || match.isBlank()) {
      return OptionalInt.empty();
    }
    String version = match.trim().replaceFirst("^W/", "").replace("\"", "");
    try {
      return OptionalInt.of(Integer.parseInt(version));
    } catch (NumberFormatException e) {
      throw Problem.badRequest("If-Match: a version as given in the ETag, was '" + match + "'");
    }
  }

  private static String etag(int version) {
    return "\"" + version + "\"";
  }

  private RuleRecord published(String id) {
    RuleRecord record = kafka(this::current).get(id);
    if (record == null) {
      throw Problem.notFound("no definition '" + id + "' is published");
    }
    return record;
  }

  private Definition parse(String source) {
    try {
      return parser.parse(source);
    } catch (InvalidRuleException e) {
      throw invalid(e.problems());
    }
  }

  private static String source(Context ctx) {
    String body = ctx.body();
    if (body.isBlank()) {
      throw Problem.badRequest("the request needs the definition (YAML or JSON) as its body");
    }
    return body;
  }

  private static String format(Context ctx) {
    String type = ctx.contentType();
    return type != null && type.contains("json") ? "json" : "yaml";
  }

  private static Duration lookback(String since) {
    if (since == null) {
      return Duration.ofHours(24);
    }
    Duration period;
    try {
      period = Lookback.parse(since);
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("since: " + e.getMessage());
    }
    if (period.compareTo(MAX_LOOKBACK) > 0) {
      throw Problem.badRequest("since: at most 30d, was '" + since + "'");
    }
    return period;
  }

  /**
   * The published definition as listed: its version, the action code it proposes (the key of {@code
   * GET /v1/actions/stats}), and how often it fired.
   */
  private ObjectNode summary(RuleRecord r) {
    ObjectNode summary = version(r).put("actionCode", actionCodes.of(r));
    FireCounts.Fired fired = fireCounts.of(r.getId());
    summary
        .putObject("fired")
        .put("total", fired.total())
        .put("last24h", fired.last24h())
        .put("lastFiredAt", fired.lastFiredAt() == null ? null : fired.lastFiredAt().toString());
    return summary;
  }

  private static ObjectNode version(RuleRecord r) {
    return Json.MAPPER
        .createObjectNode()
        .put("id", r.getId())
        .put("kind", r.getKind())
        .put("version", r.getVersion())
        .put("enabled", r.getEnabled())
        .put("format", r.getFormat())
        .put("owner", r.getOwner())
        .put("updatedAt", r.getUpdatedAt().toString())
        .put("updatedBy", r.getUpdatedBy());
  }

  private static Problem invalid(List<RuleProblem> problems) {
    RuleProblem first = problems.get(0);
    return Problem.invalid("the definition has problems; first: " + first, errors(problems));
  }

  private static ArrayNode errors(List<RuleProblem> problems) {
    ArrayNode errors = Json.MAPPER.createArrayNode();
    for (RuleProblem p : problems) {
      errors
          .addObject()
          .put("field", p.path())
          .put("line", p.line())
          .put("column", p.column())
          .put("message", p.message());
    }
    return errors;
  }

  /** Runs a call that reads or writes Kafka; Kafka out of reach becomes a 503. */
  private static <T> T kafka(Supplier<T> call) {
    try {
      return call.get();
    } catch (KafkaException | IllegalStateException e) {
      throw new PublishException("the rules topic cannot be reached: " + e.getMessage(), e);
    }
  }
}

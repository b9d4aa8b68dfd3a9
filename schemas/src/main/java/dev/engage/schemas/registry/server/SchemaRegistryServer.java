package dev.engage.schemas.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.schemas.registry.RegisteredSchema;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry speaking the subset of Confluent's REST API that Confluent's serializers,
 * clients and tools use, with Confluent's status codes and error bodies, storing its state in a
 * compacted Kafka topic. Only Avro schemas are accepted.
 */
public final class SchemaRegistryServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaSchemaLog log;
  private final SchemaStore store;
  private final Javalin app;

  private SchemaRegistryServer(KafkaSchemaLog log, SchemaStore store, Javalin app) {
    this.log = log;
    this.store = store;
    this.app = app;
  }

  /**
   * Loads the state from the schema topic (creating it if needed) and starts serving.
   *
   * <p>A port of 0 picks any free port; see {@link #port()}.
   */
  public static SchemaRegistryServer start(RegistrySettings settings) {
    KafkaSchemaLog log =
        new KafkaSchemaLog(
            settings.bootstrapServers(), settings.topic(), settings.replicationFactor());
    try {
      return start(settings, log);
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
  }

  private static SchemaRegistryServer start(RegistrySettings settings, KafkaSchemaLog log) {
    SchemaStore store = new SchemaStore(log, settings.defaultCompatibility());
    Javalin app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.http.defaultContentType = CONTENT_TYPE;
              config.http.maxRequestSize = 8L * 1024 * 1024;
            });
    SchemaRegistryServer server = new SchemaRegistryServer(log, store, app);
    server.routes();
    try {
      app.start(settings.host(), settings.port());
    } catch (RuntimeException e) {
      app.stop();
      throw e;
    }
    LOG.info("Schema registry listening on {}:{}", settings.host(), app.port());
    return server;
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
    log.close();
  }

  private void routes() {
    app.get("/", ctx -> json(ctx, JSON.createObjectNode()));
    app.get("/schemas/types", ctx -> json(ctx, List.of("AVRO")));
    app.get("/schemas/ids/{id}", this::schemaById);
    app.get("/subjects", ctx -> json(ctx, store.subjects(flag(ctx, "deleted"))));
    app.post("/subjects/{subject}/versions", this::register);
    app.post("/subjects/{subject}", this::lookup);
    app.get("/subjects/{subject}/versions", this::versions);
    app.get("/subjects/{subject}/versions/{version}", this::version);
    app.get("/subjects/{subject}/versions/{version}/schema", this::rawSchema);
    app.delete("/subjects/{subject}", this::deleteSubject);
    app.delete("/subjects/{subject}/versions/{version}", this::deleteVersion);
    app.post("/compatibility/subjects/{subject}/versions/{version}", this::checkAgainstVersion);
    app.post("/compatibility/subjects/{subject}/versions", this::checkAgainstAll);
    app.get("/config", ctx -> json(ctx, levelBody("compatibilityLevel", store.globalLevel())));
    app.put("/config", this::setGlobalLevel);
    app.get("/config/{subject}", this::subjectLevel);
    app.put("/config/{subject}", this::setSubjectLevel);
    app.delete("/config/{subject}", this::deleteSubjectLevel);

    app.exception(
        RegistryError.class, (e, ctx) -> error(ctx, e.status(), e.errorCode(), e.getMessage()));
    app.exception(
        HttpResponseException.class,
        (e, ctx) ->
            error(
                ctx, e.getStatus(), e.getStatus(), "HTTP " + e.getStatus() + " " + e.getMessage()));
    app.exception(
        JsonProcessingException.class,
        (e, ctx) -> error(ctx, 400, 400, "Unreadable JSON body: " + e.getOriginalMessage()));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("Request {} {} failed", ctx.method(), ctx.path(), e);
          error(ctx, 500, 500, "Internal Server Error: " + e);
        });
  }

  private void register(Context ctx) throws JsonProcessingException {
    int id = store.register(ctx.pathParam("subject"), schemaOf(ctx));
    json(ctx, Map.of("id", id));
  }

  private void lookup(Context ctx) throws JsonProcessingException {
    RegisteredSchema found =
        store.lookup(ctx.pathParam("subject"), schemaOf(ctx), flag(ctx, "deleted"));
    json(ctx, versionBody(found));
  }

  private void schemaById(Context ctx) {
    int id;
    try {
      id = Integer.parseInt(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw RegistryError.notFound(ctx.path());
    }
    json(ctx, Map.of("schema", store.schemaById(id)));
  }

  private void versions(Context ctx) {
    json(ctx, store.versions(ctx.pathParam("subject"), flag(ctx, "deleted")));
  }

  private void version(Context ctx) {
    RegisteredSchema found =
        store.version(ctx.pathParam("subject"), ctx.pathParam("version"), flag(ctx, "deleted"));
    json(ctx, versionBody(found));
  }

  private void rawSchema(Context ctx) {
    RegisteredSchema found =
        store.version(ctx.pathParam("subject"), ctx.pathParam("version"), flag(ctx, "deleted"));
    ctx.contentType(CONTENT_TYPE).result(found.schema().toString());
  }

  private void deleteSubject(Context ctx) {
    json(ctx, store.deleteSubject(ctx.pathParam("subject"), flag(ctx, "permanent")));
  }

  private void deleteVersion(Context ctx) {
    json(
        ctx,
        store.deleteVersion(
            ctx.pathParam("subject"), ctx.pathParam("version"), flag(ctx, "permanent")));
  }

  private void checkAgainstVersion(Context ctx) throws JsonProcessingException {
    compatibilityAnswer(
        ctx,
        store.compatibilityProblems(
            ctx.pathParam("subject"), ctx.pathParam("version"), schemaOf(ctx)));
  }

  private void checkAgainstAll(Context ctx) throws JsonProcessingException {
    compatibilityAnswer(
        ctx, store.compatibilityProblemsWithAll(ctx.pathParam("subject"), schemaOf(ctx)));
  }

  private void compatibilityAnswer(Context ctx, List<String> problems) {
    ObjectNode body = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
    if (flag(ctx, "verbose")) {
      problems.forEach(body.putArray("messages")::add);
    }
    json(ctx, body);
  }

  private void setGlobalLevel(Context ctx) throws JsonProcessingException {
    CompatibilityLevel level = levelOf(ctx);
    store.setGlobalLevel(level);
    json(ctx, levelBody("compatibility", level));
  }

  private void subjectLevel(Context ctx) {
    CompatibilityLevel level =
        store.subjectLevel(ctx.pathParam("subject"), flag(ctx, "defaultToGlobal"));
    json(ctx, levelBody("compatibilityLevel", level));
  }

  private void setSubjectLevel(Context ctx) throws JsonProcessingException {
    CompatibilityLevel level = levelOf(ctx);
    store.setSubjectLevel(ctx.pathParam("subject"), level);
    json(ctx, levelBody("compatibility", level));
  }

  private void deleteSubjectLevel(Context ctx) {
    json(ctx, levelBody("compatibilityLevel", store.deleteSubjectLevel(ctx.pathParam("subject"))));
  }

  private static Schema schemaOf(Context ctx) throws JsonProcessingException {
    JsonNode body = body(ctx);
    String type = body.path("schemaType").asText("AVRO");
    if (!"AVRO".equalsIgnoreCase(type)) {
      throw RegistryError.unsupportedSchemaType(type);
    }
    JsonNode references = body.path("references");
    if (references.isArray() && !references.isEmpty()) {
      throw RegistryError.invalidSchema("with references: schema references are not supported");
    }
    return SchemaStore.parse(body.path("schema").asText(null));
  }

  private static CompatibilityLevel levelOf(Context ctx) throws JsonProcessingException {
    return CompatibilityLevel.parse(body(ctx).path("compatibility").asText(null));
  }

  private static JsonNode body(Context ctx) throws JsonProcessingException {
    String body = ctx.body();
    return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
  }

  private static boolean flag(Context ctx, String name) {
    return Boolean.parseBoolean(ctx.queryParam(name));
  }

  private static ObjectNode levelBody(String field, CompatibilityLevel level) {
    return JSON.createObjectNode().put(field, level.name());
  }

  private static ObjectNode versionBody(RegisteredSchema registered) {
    return JSON.createObjectNode()
        .put("subject", registered.subject())
        .put("version", registered.version())
        .put("id", registered.id())
        .put("schema", registered.schema().toString());
  }

  private static void error(Context ctx, int status, int errorCode, String message) {
    ctx.status(status);
    json(ctx, JSON.createObjectNode().put("error_code", errorCode).put("message", message));
  }

  private static void json(Context ctx, Object body) {
    try {
      ctx.contentType(CONTENT_TYPE).result(JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON answer", e);
    }
  }
}

package dev.engage.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Client for the Confluent Schema Registry REST API (our embedded registry or Confluent's own).
 *
 * <p>Registrations and lookups by id are cached: a serializer registers its schema once per subject
 * and a deserializer fetches each writer schema once. Connection failures and 5xx answers are
 * retried with exponential backoff; 4xx answers fail at once with the registry's error code and
 * message.
 */
public final class SchemaRegistryClient {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI baseUri;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final int maxAttempts;
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

  public SchemaRegistryClient(String baseUrl) {
    this(baseUrl, Duration.ofSeconds(10), 5);
  }

  /**
   * @param baseUrl registry address, e.g. {@code http://localhost:8081}
   * @param requestTimeout time limit of one HTTP request
   * @param maxAttempts tries per call when the registry is unreachable or answers 5xx
   */
  public SchemaRegistryClient(String baseUrl, Duration requestTimeout, int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    this.baseUri = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    this.requestTimeout = requestTimeout;
    this.maxAttempts = maxAttempts;
    this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
  }

  /** Registers the schema under the subject (idempotent) and returns its global id. */
  public int register(String subject, Schema schema) {
    // Cached lookups stay outside computeIfAbsent: an HTTP call must not block the map.
    Map<Schema, Integer> ids =
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    Integer cached = ids.get(schema);
    if (cached != null) {
      return cached;
    }
    int id =
        send("POST", subjectPath(subject) + "/versions", schemaBody(schema)).path("id").asInt();
    ids.putIfAbsent(schema, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  /** The schema with this global id, as the registry holds it. */
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    Schema fetched = parse(send("GET", "schemas/ids/" + id, null).path("schema").asText());
    Schema raced = schemasById.putIfAbsent(id, fetched);
    return raced != null ? raced : fetched;
  }

  /** Where this exact schema is registered under the subject (404 with 40403 if it is not). */
  public RegisteredSchema lookup(String subject, Schema schema) {
    return toRegistered(send("POST", subjectPath(subject), schemaBody(schema)));
  }

  /** The newest version registered under the subject. */
  public RegisteredSchema latest(String subject) {
    return toRegistered(send("GET", subjectPath(subject) + "/versions/latest", null));
  }

  /** Versions registered under the subject, oldest first. */
  public List<Integer> versions(String subject) {
    List<Integer> versions = new ArrayList<>();
    send("GET", subjectPath(subject) + "/versions", null).forEach(v -> versions.add(v.asInt()));
    return versions;
  }

  /** All subjects with at least one live version. */
  public List<String> subjects() {
    List<String> subjects = new ArrayList<>();
    send("GET", "subjects", null).forEach(s -> subjects.add(s.asText()));
    return subjects;
  }

  /** Whether the schema could be registered under the subject given its compatibility level. */
  public boolean isCompatibleWithLatest(String subject, Schema schema) {
    return send(
            "POST",
            "compatibility/" + subjectPath(subject) + "/versions/latest",
            schemaBody(schema))
        .path("is_compatible")
        .asBoolean();
  }

  private static String subjectPath(String subject) {
    return "subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String schemaBody(Schema schema) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schema", schema.toString());
    return body.toString();
  }

  private RegisteredSchema toRegistered(JsonNode answer) {
    Schema schema = parse(answer.path("schema").asText());
    int id = answer.path("id").asInt();
    schemasById.putIfAbsent(id, schema);
    return new RegisteredSchema(
        answer.path("subject").asText(), answer.path("version").asInt(), id, schema);
  }

  private static Schema parse(String schema) {
    return new Schema.Parser().parse(schema);
  }

  private JsonNode send(String method, String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(baseUri.resolve(path))
            .timeout(requestTimeout)
            .header("Accept", CONTENT_TYPE)
            .header("Content-Type", CONTENT_TYPE)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    Exception lastFailure = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() < 300) {
          return JSON.readTree(response.body());
        }
        SchemaRegistryException error = errorOf(method, path, response);
        if (response.statusCode() < 500) {
          throw error;
        }
        lastFailure = error;
      } catch (IOException e) {
        lastFailure = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException("interrupted while calling the schema registry", e);
      }
      if (attempt < maxAttempts) {
        backOff(attempt);
      }
    }
    throw new SchemaRegistryException(
        "schema registry at "
            + baseUri
            + " failed "
            + maxAttempts
            + " times for "
            + method
            + " /"
            + path
            + ": "
            + lastFailure,
        lastFailure);
  }

  private static SchemaRegistryException errorOf(
      String method, String path, HttpResponse<String> response) {
    int errorCode = response.statusCode();
    String message = response.body();
    try {
      JsonNode body = JSON.readTree(response.body());
      errorCode = body.path("error_code").asInt(errorCode);
      message = body.path("message").asText(message);
    } catch (IOException notJson) {
      // keep the raw body as the message
    }
    return new SchemaRegistryException(
        response.statusCode(),
        errorCode,
        method + " /" + path + " -> " + response.statusCode() + " (" + errorCode + "): " + message);
  }

  private static void backOff(int attempt) {
    try {
      Thread.sleep(Math.min(2_000L, 100L << attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

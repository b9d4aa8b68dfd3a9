package dev.engage.schemas.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem answer ({@code application/problem+json}), the one error format of every
 * Engage HTTP service (collector and API): thrown by any handler, written by the service's
 * exception handler with {@link #answer}. {@code type} is {@link #TYPE_BASE} plus a slug, {@code
 * instance} the request path. Carries optional per-field {@code errors} and response headers
 * (Retry-After, WWW-Authenticate).
 */
public final class Problem extends RuntimeException {
  /** Every problem {@code type} URI starts with this. */
  public static final String TYPE_BASE = "https://engage.dev/problems/";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int status;
  private final String type;
  private final String title;
  private final ArrayNode errors;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final Map<String, Integer> fields = new LinkedHashMap<>();

  public Problem(int status, String type, String title, String detail) {
    this(status, type, title, detail, null);
  }

  public Problem(int status, String type, String title, String detail, ArrayNode errors) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.errors = errors;
  }

  /** A problem of the usual type and title for its status. */
  public static Problem of(int status, String detail) {
    return switch (status) {
      case 413 -> new Problem(status, "body-too-large", "Request body too large", detail);
      case 404 -> new Problem(status, "not-found", "Not found", detail);
      case 405 -> new Problem(status, "method-not-allowed", "Method not allowed", detail);
      default ->
          status >= 500
              ? new Problem(status, "internal", "Internal error", detail)
              : new Problem(status, "invalid-request", "Invalid request", detail);
    };
  }

  /** 400 for a request whose fields are wrong; {@code errors} names each field. */
  public static Problem invalid(String detail, ArrayNode errors) {
    return new Problem(400, "invalid-request", "Invalid request", detail, errors);
  }

  public static Problem badRequest(String detail) {
    return of(400, detail);
  }

  public static Problem notFound(String detail) {
    return of(404, detail);
  }

  /** 503 with Retry-After: a dependency (Redis, Kafka) does not answer. */
  public static Problem unavailable(String detail, int retryAfterSeconds) {
    return new Problem(503, "unavailable", "Service unavailable", detail)
        .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
  }

  public Problem withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** An extension member of the problem document (RFC 9457), such as the current version. */
  public Problem withField(String name, int value) {
    fields.put(name, value);
    return this;
  }

  public void answer(Context ctx) {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", TYPE_BASE + type)
        .put("title", title)
        .put("status", status)
        .put("detail", getMessage());
    body.put("instance", ctx.path());
    fields.forEach(body::put);
    if (errors != null) {
      body.set("errors", errors);
    }
    headers.forEach(ctx::header);
    ctx.status(status).contentType("application/problem+json").result(body.toString());
  }
}

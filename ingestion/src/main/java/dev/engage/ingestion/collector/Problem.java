package dev.engage.ingestion.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/** An RFC 9457 problem answer ({@code application/problem+json}). */
final class Problem extends RuntimeException {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int status;
  private final String title;
  private final ArrayNode errors;

  Problem(int status, String title, String detail) {
    this(status, title, detail, null);
  }

  Problem(int status, String title, String detail, ArrayNode errors) {
    super(detail);
    this.status = status;
    this.title = title;
    this.errors = errors;
  }

  int status() {
    return status;
  }

  void answer(Context ctx) {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "about:blank")
        .put("title", title)
        .put("status", status)
        .put("detail", getMessage());
    if (errors != null) {
      body.set("errors", errors);
    }
    ctx.status(status).contentType("application/problem+json").result(body.toString());
  }
}

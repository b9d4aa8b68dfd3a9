package dev.engage.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.schemas.http.Problem;
import io.javalin.http.Context;

/** JSON in and out of handlers, with the API's one {@link ObjectMapper}. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();
  public static final String CONTENT_TYPE = "application/json";

  private Json() {}

  public static void send(Context ctx, int status, JsonNode body) {
    ctx.status(status).contentType(CONTENT_TYPE).result(body.toString());
  }

  /** Sends JSON text as stored (in Redis) without parsing it again. */
  public static void sendRaw(Context ctx, String json) {
    ctx.status(200).contentType(CONTENT_TYPE).result(json);
  }

  /** The request body as a JSON object, or a 400 problem saying what is wrong with it. */
  public static ObjectNode objectBody(Context ctx) {
    String body = ctx.body();
    if (body.isBlank()) {
      throw Problem.badRequest("the request needs a JSON object body");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw Problem.badRequest(
          "the body is not JSON (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + "): "
              + e.getOriginalMessage());
    }
    if (!(node instanceof ObjectNode object)) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    return object;
  }

  /** One entry of a problem's {@code errors}: which field, what is wrong. */
  public static void addFieldError(ArrayNode errors, String field, String message) {
    errors.addObject().put("field", field).put("message", message);
  }
}

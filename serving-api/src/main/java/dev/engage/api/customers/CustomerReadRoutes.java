package dev.engage.api.customers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.api.auth.Authenticator;
import dev.engage.api.auth.Role;
import dev.engage.api.http.Json;
import dev.engage.api.http.RouteTable;
import dev.engage.api.redis.CustomerState;
import dev.engage.schemas.http.Problem;
import dev.engage.schemas.identity.PersonalData;
import dev.engage.schemas.redis.RedisKeys;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;

/**
 * The customer reads, each one round trip to Redis: look-up by email or phone, profile, timeline,
 * next-best-actions, the last decisions and the in-app inbox. Profile and timeline are 404 for a
 * customer Redis does not know; actions and inbox are simply empty (nothing decided, nothing sent
 * yet).
 */
public final class CustomerReadRoutes {
  private final CustomerState state;
  private final Clock clock;

  public CustomerReadRoutes(CustomerState state, Clock clock) {
    this.state = state;
    this.clock = clock;
  }

  public void register(RouteTable routes) {
    routes.get("/v1/customers", this::lookUp, Role.AGENT, Role.SERVICE);
    routes.get("/v1/customers/{id}", this::profile, Role.AGENT, Role.APP, Role.SERVICE);
    routes.get("/v1/customers/{id}/timeline", this::timeline, Role.AGENT, Role.SERVICE);
    routes.get(
        "/v1/customers/{id}/next-best-actions",
        this::nextBestActions,
        Role.AGENT,
        Role.APP,
        Role.SERVICE);
    routes.get("/v1/customers/{id}/notifications", this::notifications, Role.APP, Role.SERVICE);
    routes.get("/v1/customers/{id}/decisions", this::decisions, Role.AGENT, Role.MARKETER);
  }

  /**
   * Finds a customer by email or phone (exactly one): normalized and hashed as ingestion stores
   * identifiers, then looked up in the index the profile job keeps.
   */
  private void lookUp(Context ctx) {
    String email = ctx.queryParam("email");
    String phone = ctx.queryParam("phone");
    boolean byEmail = email != null && !email.isBlank();
    if (byEmail == (phone != null && !phone.isBlank())) {
      ArrayNode errors = Json.MAPPER.createArrayNode();
      Json.addFieldError(errors, "email", "give exactly one of email or phone");
      throw Problem.invalid("look a customer up by email or by phone", errors);
    }
    String key =
        byEmail
            ? RedisKeys.identity("email", PersonalData.sha256(PersonalData.normalizeEmail(email)))
            : RedisKeys.identity("phone", PersonalData.sha256(PersonalData.normalizePhone(phone)));
    String id =
        state
            .customerOf(key)
            .orElseThrow(
                () ->
                    Problem.notFound(
                        "no customer with that " + (byEmail ? "email" : "phone number")));
    Json.send(ctx, 200, Json.MAPPER.createObjectNode().put("customerId", id));
  }

  private void profile(Context ctx) {
    String id = CustomerIds.of(ctx);
    Json.sendRaw(ctx, state.profile(id).orElseThrow(() -> unknown(id)));
  }

  private void timeline(Context ctx) {
    String id = CustomerIds.of(ctx);
    CustomerState.Timeline timeline = state.timeline(id);
    if (!timeline.known()) {
      throw unknown(id);
    }
    Json.sendRaw(ctx, timeline.json() == null ? "[]" : timeline.json());
  }

  /**
   * The open actions, best first. Expired ones are left out (the job may not have replaced the
   * decision yet), and so are, for agents, those not meant for agents. While no action has expired
   * the stored answer goes out as it is; past the first expiry it is parsed and filtered here.
   */
  private void nextBestActions(Context ctx) {
    String id = CustomerIds.of(ctx);
    CustomerState.Actions stored = state.nextBestActions(id).orElse(null);
    if (stored == null) {
      ObjectNode none = Json.MAPPER.createObjectNode().put("customerId", id);
      none.putArray("actions");
      Json.send(ctx, 200, none);
      return;
    }
    boolean agent = Authenticator.caller(ctx).role() == Role.AGENT;
    String json = agent && stored.agentJson() != null ? stored.agentJson() : stored.json();
    Instant now = clock.instant();
    if (stored.validAt(now)) {
      Json.sendRaw(ctx, json);
      return;
    }
    JsonNode decision = parse(json, "next-best-actions of " + id);
    Iterator<JsonNode> actions = decision.path("actions").elements();
    while (actions.hasNext()) {
      JsonNode action = actions.next();
      if (expired(action, now) || (agent && !action.path("agentVisible").asBoolean(true))) {
        actions.remove();
      }
    }
    Json.send(ctx, 200, decision);
  }

  /**
   * The customer's last decisions, newest first: candidates with their scores and factors, what was
   * chosen, and every notification sent, deferred or suppressed with its reason codes.
   */
  private void decisions(Context ctx) {
    String id = CustomerIds.of(ctx);
    ObjectNode answer = Json.MAPPER.createObjectNode().put("customerId", id);
    ArrayNode decisions = answer.putArray("decisions");
    for (String decision : state.decisions(id)) {
      decisions.add(parse(decision, "decisions of " + id));
    }
    Json.send(ctx, 200, answer);
  }

  private void notifications(Context ctx) {
    String id = CustomerIds.of(ctx);
    Json.sendRaw(ctx, state.inbox(id).orElse("[]"));
  }

  private static boolean expired(JsonNode action, Instant now) {
    JsonNode expiresAt = action.path("expiresAt");
    try {
      if (expiresAt.isNumber()) {
        return Instant.ofEpochMilli(expiresAt.asLong()).isBefore(now);
      }
      return expiresAt.isTextual() && Instant.parse(expiresAt.asText()).isBefore(now);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static JsonNode parse(String json, String what) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the " + what + " in Redis is not JSON", e);
    }
  }

  private static Problem unknown(String id) {
    return Problem.notFound("no customer '" + id + "' (no profile in the store)");
  }
}

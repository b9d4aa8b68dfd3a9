package dev.engage.api.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.api.auth.Authenticator;
import dev.engage.api.auth.Role;
import dev.engage.api.customers.CustomerIds;
import dev.engage.api.http.Json;
import dev.engage.api.http.QueryParams;
import dev.engage.api.http.RouteTable;
import dev.engage.schemas.http.Problem;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;

/**
 * The agents' queue of customers a notification could not reach: {@code GET /v1/tasks} (open and
 * claimed, oldest first), a customer's tasks, and claiming and closing one. Agents only.
 */
public final class TaskRoutes {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  static final int MAX_OUTCOME = 500;

  private final AgentTaskStore store;
  private final Clock clock;

  public TaskRoutes(AgentTaskStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public void register(RouteTable routes) {
    routes.get("/v1/tasks", this::queue, Role.AGENT);
    routes.get("/v1/customers/{id}/tasks", this::ofCustomer, Role.AGENT);
    routes.post("/v1/customers/{id}/tasks/{taskId}/claim", this::claim, Role.AGENT);
    routes.post("/v1/customers/{id}/tasks/{taskId}/close", this::close, Role.AGENT);
  }

  private void queue(Context ctx) {
    send(ctx, store.queue(QueryParams.wholeNumber(ctx, "limit", DEFAULT_LIMIT, MAX_LIMIT)));
  }

  private void ofCustomer(Context ctx) {
    send(ctx, store.ofCustomer(CustomerIds.of(ctx)));
  }

  private void claim(Context ctx) {
    String id = CustomerIds.of(ctx);
    answer(
        ctx,
        store.claim(id, ctx.pathParam("taskId"), Authenticator.caller(ctx).name(), clock.instant()),
        "claim");
  }

  private void close(Context ctx) {
    String id = CustomerIds.of(ctx);
    JsonNode outcome = Json.objectBody(ctx).path("outcome");
    if (!outcome.isTextual() || outcome.asText().isBlank()) {
      throw Problem.badRequest("outcome is required: what came of the task, in words");
    }
    if (outcome.asText().length() > MAX_OUTCOME) {
      throw Problem.badRequest("outcome is longer than " + MAX_OUTCOME + " characters");
    }
    answer(
        ctx,
        store.close(
            id,
            ctx.pathParam("taskId"),
            Authenticator.caller(ctx).name(),
            clock.instant(),
            outcome.asText()),
        "close");
  }

  private static void answer(Context ctx, AgentTaskStore.Change change, String what) {
    ObjectNode task = change.task();
    switch (change.outcome()) {
      case DONE -> Json.send(ctx, 200, task);
      case MISSING ->
          throw Problem.notFound(
              "customer " + CustomerIds.of(ctx) + " has no task " + ctx.pathParam("taskId"));
      case TAKEN ->
          throw new Problem(
              409,
              "task-taken",
              "Task taken",
              "cannot "
                  + what
                  + ": claimed by "
                  + task.path("claimedBy").asText()
                  + " at "
                  + task.path("claimedAt").asText());
      case CLOSED ->
          throw new Problem(
              409,
              "task-closed",
              "Task closed",
              "cannot "
                  + what
                  + ": closed by "
                  + task.path("claimedBy").asText()
                  + " at "
                  + task.path("closedAt").asText());
    }
  }

  private static void send(Context ctx, List<ObjectNode> tasks) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.putArray("tasks").addAll(tasks);
    Json.send(ctx, 200, body);
  }
}

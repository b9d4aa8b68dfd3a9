package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.api.auth.Role;
import dev.engage.avro.AgentTask;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * The agents' queue on a real redis-server, with tasks written as the stream jobs write them: the
 * queue oldest first, one claim among agents claiming at once, a close with its outcome taking the
 * task off the queue, and the errors an agent can meet.
 */
class TasksIT extends ApiOnSharedStack {
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String ann = "task-ann-" + run;
  private final String bob = "task-bob-" + run;

  @Test
  void agentsClaimAndCloseTasksFromTheQueueOldestFirst() throws Exception {
    add(task(ann, "task-a" + run, Instant.parse("2026-12-01T10:00:00Z")));
    add(task(bob, "task-b" + run, Instant.parse("2026-12-01T09:00:00Z")));
    add(task(ann, "task-a" + run, Instant.parse("2026-12-01T10:00:00Z"))); // a replay: no change

    assertThat(queued()).containsSubsequence("task-b" + run, "task-a" + run);
    assertThat(queued()).filteredOn(id -> id.endsWith(run)).hasSize(2);

    HttpResponse<String> claimed = post(ann, "task-a" + run, "claim", "", Role.AGENT);
    assertThat(claimed.statusCode()).isEqualTo(200);
    JsonNode task = TestApi.json(claimed);
    assertThat(task.path("status").asText()).isEqualTo("claimed");
    assertThat(task.path("claimedBy").asText()).isEqualTo("agent-key");
    assertThat(task.path("reason").asText()).startsWith("Delivery by sms failed");
    // claiming one's own claim again changes nothing; another agent is refused, with who has it
    assertThat(post(ann, "task-a" + run, "claim", "", Role.AGENT).statusCode()).isEqualTo(200);
    HttpResponse<String> taken =
        api.send(
            api.request(path(ann, "task-a" + run, "claim"), TestApi.SLOW_KEY)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertThat(taken.statusCode()).isEqualTo(409);
    assertThat(TestApi.json(taken).path("detail").asText()).contains("claimed by agent-key");

    assertThat(post(ann, "task-a" + run, "close", "{}", Role.AGENT).statusCode()).isEqualTo(400);
    HttpResponse<String> closed =
        post(ann, "task-a" + run, "close", "{\"outcome\": \"rebooked by phone\"}", Role.AGENT);
    assertThat(closed.statusCode()).isEqualTo(200);
    assertThat(TestApi.json(closed).path("outcome").asText()).isEqualTo("rebooked by phone");
    assertThat(queued()).doesNotContain("task-a" + run).contains("task-b" + run);
    assertThat(post(ann, "task-a" + run, "close", "{\"outcome\": \"again\"}", Role.AGENT))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(409);
    // a replay of the task after it was closed does not reopen it
    add(task(ann, "task-a" + run, Instant.parse("2026-12-01T10:00:00Z")));
    assertThat(queued()).doesNotContain("task-a" + run);
    JsonNode hers = TestApi.json(api.get("/v1/customers/" + ann + "/tasks", Role.AGENT));
    assertThat(hers.path("tasks")).hasSize(1);
    assertThat(hers.path("tasks").get(0).path("status").asText()).isEqualTo("closed");

    assertThat(post(ann, "task-x" + run, "claim", "", Role.AGENT).statusCode()).isEqualTo(404);
    assertThat(api.get("/v1/tasks", Role.MARKETER).statusCode()).isEqualTo(403);
    assertThat(api.get("/v1/tasks?limit=0", Role.AGENT).statusCode()).isEqualTo(400);
  }

  @Test
  void twoAgentsClaimingAtOnceGetOneTaskBetweenThem() throws Exception {
    String customer = "task-race-" + run;
    for (int i = 0; i < 10; i++) {
      add(task(customer, "task-r" + i + run, Instant.now()));
    }
    for (int i = 0; i < 10; i++) {
      String taskId = "task-r" + i + run;
      CompletableFuture<Integer> first =
          CompletableFuture.supplyAsync(() -> claim(customer, taskId, api.key(Role.AGENT)));
      CompletableFuture<Integer> second =
          CompletableFuture.supplyAsync(() -> claim(customer, taskId, TestApi.SLOW_KEY));
      assertThat(List.of(first.get(), second.get())).containsExactlyInAnyOrder(200, 409);
      Thread.sleep(1_000); // the slow agent's key allows one request a second
    }
  }

  @Test
  void anErasedCustomersTasksLeaveTheQueue() throws Exception {
    String customer = "task-erased-" + run;
    add(task(customer, "task-e" + run, Instant.now()));
    assertThat(queued()).contains("task-e" + run);

    assertThat(api.send("DELETE", "/v1/customers/" + customer, Role.ADMIN, "", null).statusCode())
        .isEqualTo(202);

    assertThat(queued()).doesNotContain("task-e" + run);
  }

  private int claim(String customer, String taskId, String key) {
    try {
      return api.send(
              api.request(path(customer, taskId, "claim"), key)
                  .POST(java.net.http.HttpRequest.BodyPublishers.noBody()))
          .statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> queued() throws Exception {
    HttpResponse<String> answer = api.get("/v1/tasks?limit=500", Role.AGENT);
    assertThat(answer.statusCode()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    TestApi.json(answer).path("tasks").forEach(t -> ids.add(t.path("taskId").asText()));
    return ids;
  }

  private HttpResponse<String> post(
      String customer, String taskId, String what, String body, Role role) throws Exception {
    return api.send("POST", path(customer, taskId, what), role, body, "application/json");
  }

  private static String path(String customer, String taskId, String what) {
    return "/v1/customers/" + customer + "/tasks/" + taskId + "/" + what;
  }

  private static AgentTask task(String customer, String taskId, Instant at) {
    return TestTasks.failedSms(customer, taskId, at);
  }

  private static void add(AgentTask task) {
    try (JedisPooled redis = api.redis()) {
      TestTasks.add(redis, task);
    }
  }
}

package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.api.auth.Role;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.schemas.redis.RedisKeys;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Redis or Kafka away: 503 with Retry-After and a problem body, fast, without threads piling up, a
 * live stream that closes instead of promising updates it cannot deliver, and service again once
 * Redis is back, without restarting the API.
 */
@ExtendWith(SharedStack.class)
class OutageIT {
  private static final String STREAM = "/v1/customers/someone/stream";
  @TempDir Path dir;
  private Process redis;

  @AfterEach
  void stopRedis() {
    if (redis != null) {
      redis.destroy();
    }
  }

  @Test
  void redisDownIs503AndTheApiRecoversWhenItIsBack(StackConfig config) throws Exception {
    int port = SharedStack.freePort();
    redis = startRedis(port);
    try (TestApi api =
        TestApi.on("redis://127.0.0.1:" + port, config.bootstrapServers(), config, dir)) {
      String path = "/v1/customers/someone/next-best-actions";
      assertThat(api.get(path, Role.AGENT).statusCode()).isEqualTo(200);

      redis.destroy();
      redis.waitFor();
      long began = System.nanoTime();
      HttpResponse<String> down = api.get(path, Role.AGENT);
      long millis = (System.nanoTime() - began) / 1_000_000;

      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.headers().firstValue("Retry-After")).hasValue("2");
      assertThat(down.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(TestApi.json(down).path("detail").asText()).contains("Redis");
      assertThat(millis).as("a dead Redis is noticed fast").isLessThan(2000);
      assertThat(api.send(api.request("/health", null).GET()).statusCode()).isEqualTo(503);
      assertNoPileUp(api, path);
      try (EventStream stream = EventStream.open(api, STREAM, api.key(Role.AGENT))) {
        await().atMost(Duration.ofSeconds(15)).until(stream::ended);
        assertThat(stream.lines)
            .as("no ready without a subscription")
            .doesNotContain("event: ready");
      }
      assertThat(api.get("/metrics", Role.SERVICE).body())
          .containsPattern("engage_api_redis_errors_total [1-9]");

      redis = startRedis(port);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> api.get(path, Role.AGENT).statusCode() == 200);
      JsonNode health = TestApi.json(api.send(api.request("/health", null).GET()));
      assertThat(health.path("status").asText()).isEqualTo("up");
      try (EventStream stream = EventStream.open(api, STREAM, api.key(Role.AGENT));
          Jedis jedis = new Jedis("127.0.0.1", port)) {
        await().atMost(Duration.ofSeconds(15)).until(() -> stream.lines.contains("event: ready"));
        jedis.publish(RedisKeys.updates("someone"), "{\"type\":\"actions\"}");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> stream.lines.contains("data: {\"type\":\"actions\"}"));
      }
    }
  }

  /** 40 requests at once against a dead Redis: all answered, none waits long. */
  private static void assertNoPileUp(TestApi api, String path) throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(40);
    try {
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        answers.add(callers.submit(() -> api.get(path, Role.AGENT)));
      }
      for (Future<HttpResponse<String>> answer : answers) {
        assertThat(answer.get(5, java.util.concurrent.TimeUnit.SECONDS).statusCode())
            .isEqualTo(503);
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void kafkaDownIs503ForWrites(StackConfig config) throws Exception {
    try (TestApi api =
        TestApi.on(
            "redis://127.0.0.1:" + config.redisPort(),
            "127.0.0.1:" + SharedStack.freePort(),
            config,
            dir)) {
      HttpResponse<String> answer =
          api.send(
              "POST",
              "/v1/customers/someone/responses",
              Role.APP,
              "{\"type\":\"dismissed\",\"actionId\":\"a\"}",
              "application/json");

      assertThat(answer.statusCode()).isEqualTo(503);
      assertThat(answer.headers().firstValue("Retry-After")).isPresent();
      assertThat(TestApi.json(answer).path("detail").asText()).contains("Kafka");
    }
  }

  private Process startRedis(int port) throws Exception {
    Path data = Files.createDirectories(dir.resolve("redis"));
    Process process =
        new ProcessBuilder(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                data.toString(),
                "--save",
                "",
                "--appendonly",
                "no")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () -> {
              try (Jedis jedis = new Jedis("127.0.0.1", port, 200)) {
                return "PONG".equals(jedis.ping());
              }
            });
    return process;
  }
}

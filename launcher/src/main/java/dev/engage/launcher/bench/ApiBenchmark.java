package dev.engage.launcher.bench;

import dev.engage.avro.Action;
import dev.engage.avro.Cause;
import dev.engage.avro.NextBestActions;
import dev.engage.schemas.redis.RedisKeys;
import dev.engage.schemas.redis.StoredActions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;

/**
 * {@code engage bench api}: {@code GET /v1/customers/{id}/next-best-actions} for random customers
 * among 100,000 in Redis, driven by wrk (closed loop: each connection sends its next request when
 * the answer arrived), beside redis-benchmark GETs of values of the same size on the same Redis in
 * the same run. The ratio of the two is the figure that counts: what the API costs over Redis.
 */
public final class ApiBenchmark {
  private static final Pattern WRK_FIGURES =
      Pattern.compile(
          "ENGAGE requests=(\\d+) micros=(\\d+) p50=(\\d+) p99=(\\d+) p999=(\\d+)"
              + " non2xx=(\\d+) errors=(\\d+)");

  /** redis-benchmark's keys go to this database, emptied afterwards (engage bench profile's). */
  public static final int SCRATCH_DB = 15;

  private static final Duration WARM_UP_ROUND = Duration.ofSeconds(5);
  private static final int WARM_UP_ROUNDS = 6;

  private final String apiUrl;
  private final int redisPort;
  private final String serviceKey;
  private final PrintWriter out;

  public ApiBenchmark(String apiUrl, int redisPort, String serviceKey, PrintWriter out) {
    this.apiUrl = apiUrl;
    this.redisPort = redisPort;
    this.serviceKey = serviceKey;
    this.out = out;
  }

  /** Runs both, prints the figures and writes them as JSON; returns them. */
  public Map<String, Object> run(int customers, int connections, Duration duration, Path work)
      throws Exception {
    requireTool("wrk", "wrk");
    requireTool("redis-benchmark", "redis-tools");
    Map<String, Object> results = new LinkedHashMap<>();
    try (JedisPooled redis = new JedisPooled("localhost", redisPort)) {
      int valueBytes = fill(redis, customers);
      results.put("customers", customers);
      results.put("valueBytes", valueBytes);
      results.put("connections", connections);
      Path script = work.resolve("next-best-actions.lua");
      Files.writeString(script, wrkScript(customers));
      warmUp(script, connections);
      out.printf(
          "bench api: GET next-best-actions, %d connections, %d s%n",
          connections, duration.toSeconds());
      Map<String, Object> api = wrk(script, connections, duration);
      results.put("api", api);
      out.printf(
          "  API:   %,10.0f requests/s   p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  (non-2xx %s)%n",
          (double) api.get("requestsPerSecond"),
          (double) api.get("p50Millis"),
          (double) api.get("p99Millis"),
          (double) api.get("p999Millis"),
          api.get("non2xx"));
      double redisGets = redisBenchmark(connections, customers, valueBytes);
      clearScratch();
      results.put("redisGetsPerSecond", Math.round(redisGets));
      double ratio = (double) api.get("requestsPerSecond") / redisGets;
      results.put("apiVsRedisGet", Math.round(ratio * 1000) / 1000.0);
      out.printf(
          "  Redis: %,10.0f GET/s (redis-benchmark, same values, same connections)%n"
              + "  ratio: the API serves %.3f of Redis's GET rate%n",
          redisGets, ratio);
      clear(redis, customers);
    }
    return results;
  }

  /**
   * Drives the API for {@link #WARM_UP_ROUNDS} rounds of {@link #WARM_UP_ROUND}, printing each
   * round's rate so a reader sees whether it had levelled off. A single 5 s warm-up was not enough:
   * three runs in a row on a freshly started API measured 0.084, 0.174 and 0.221 of Redis's rate.
   */
  private void warmUp(Path script, int connections) throws Exception {
    for (int round = 1; round <= WARM_UP_ROUNDS; round++) {
      double rate = (double) wrk(script, connections, WARM_UP_ROUND).get("requestsPerSecond");
      out.printf("bench api: warm-up %d of %d: %,.0f requests/s%n", round, WARM_UP_ROUNDS, rate);
    }
  }

  /** Next-best-actions for every customer (two actions each); returns the value's size. */
  private int fill(JedisPooled redis, int customers) {
    out.printf("bench api: writing next-best-actions of %,d customers to Redis%n", customers);
    int size = 0;
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (int i = 0; i < customers; i++) {
        Map<String, String> fields = StoredActions.fields(decision(customerId(i)));
        size = fields.get(StoredActions.JSON).getBytes(StandardCharsets.UTF_8).length;
        pipeline.hset(RedisKeys.nextBestActions(customerId(i)), fields);
        if (i % 10_000 == 9_999) {
          pipeline.sync();
        }
      }
    }
    return size;
  }

  private static void clear(JedisPooled redis, int customers) {
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (int i = 0; i < customers; i++) {
        pipeline.del(RedisKeys.nextBestActions(customerId(i)));
      }
    }
  }

  private static String customerId(int i) {
    return "bench-api-" + i;
  }

  private static NextBestActions decision(String customerId) {
    Instant now = Instant.now();
    List<Action> actions = new ArrayList<>();
    for (String code : List.of("REBOOK_OFFER", "LOUNGE_VOUCHER")) {
      actions.add(
          Action.newBuilder()
              .setActionId(customerId + "-" + code)
              .setCode(code)
              .setTitle(
                  code.equals("REBOOK_OFFER") ? "Rebook on the next flight" : "Lounge voucher")
              .setMessage("Your flight LH123 is delayed by 3 hours. We can rebook you.")
              .setPriority(80)
              .setScore(0.72)
              .setReason("LH123 delayed 180 min; customer prefers SMS; gold tier")
              .setRuleId("flight-delay-rebook")
              .setRuleVersion(3)
              .setChannel("sms")
              .setAgentVisible(true)
              .setExpiresAt(now.plus(Duration.ofDays(1)))
              .setCause(new Cause(customerId + "-disruption", "flight_disruption", now))
              .build());
    }
    return NextBestActions.newBuilder()
        .setCustomerId(customerId)
        .setVersion(1)
        .setActions(actions)
        .setDecidedAt(now)
        .build();
  }

  private String wrkScript(int customers) {
    return """
        -- random customers; prints the figures engage bench api reads
        request = function()
          local id = math.random(0, %d)
          return wrk.format("GET", "/v1/customers/bench-api-" .. id .. "/next-best-actions",
            {["Authorization"] = "Bearer %s"})
        end
        done = function(summary, latency, requests)
          io.write(string.format(
            "ENGAGE requests=%%d micros=%%d p50=%%d p99=%%d p999=%%d non2xx=%%d errors=%%d\\n",
            summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
            latency:percentile(99.9), summary.errors.status,
            summary.errors.connect + summary.errors.read + summary.errors.write
              + summary.errors.timeout))
        end
        """
        .formatted(customers - 1, serviceKey);
  }

  private Map<String, Object> wrk(Path script, int connections, Duration duration)
      throws IOException, InterruptedException {
    String output =
        run(
            List.of(
                "wrk",
                "-t2",
                "-c" + connections,
                "-d" + duration.toSeconds() + "s",
                "-s",
                script.toString(),
                apiUrl));
    Matcher figures = WRK_FIGURES.matcher(output);
    if (!figures.find()) {
      throw new IllegalStateException("wrk printed no figures:\n" + output);
    }
    long requests = Long.parseLong(figures.group(1));
    double seconds = Long.parseLong(figures.group(2)) / 1e6;
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("requests", requests);
    result.put("requestsPerSecond", requests / seconds);
    result.put("p50Millis", Long.parseLong(figures.group(3)) / 1000.0);
    result.put("p99Millis", Long.parseLong(figures.group(4)) / 1000.0);
    result.put("p999Millis", Long.parseLong(figures.group(5)) / 1000.0);
    result.put("non2xx", Long.parseLong(figures.group(6)));
    result.put("socketErrors", Long.parseLong(figures.group(7)));
    return result;
  }

  /** GETs/s of redis-benchmark on values of the same size (set first, then read at random). */
  private double redisBenchmark(int connections, int keys, int valueBytes)
      throws IOException, InterruptedException {
    out.println("bench api: redis-benchmark SET then GET, same value size and connections");
    String csv =
        run(
            List.of(
                "redis-benchmark",
                "-p",
                Integer.toString(redisPort),
                "--dbnum",
                Integer.toString(SCRATCH_DB),
                "-c",
                Integer.toString(connections),
                "-n",
                "400000",
                "-r",
                Integer.toString(keys),
                "-d",
                Integer.toString(valueBytes),
                "-t",
                "set,get",
                "--csv"));
    for (String line : csv.split("\n")) {
      String[] cells = line.replace("\"", "").split(",");
      if (cells.length > 1 && cells[0].equals("GET")) {
        return Double.parseDouble(cells[1]);
      }
    }
    throw new IllegalStateException("redis-benchmark printed no GET figure:\n" + csv);
  }

  /** Empties the database redis-benchmark wrote its keys to. */
  private void clearScratch() {
    try (JedisPooled scratch =
        new JedisPooled("redis://localhost:" + redisPort + "/" + SCRATCH_DB)) {
      scratch.flushDB();
    }
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
    return output;
  }

  private static void requireTool(String tool, String debianPackage) throws InterruptedException {
    try {
      Process check = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
      if (check.waitFor() != 0) {
        throw new IllegalStateException(
            tool + " is not installed: sudo apt-get install -y " + debianPackage);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot look for " + tool + ": " + e.getMessage());
    }
  }
}

package dev.engage.launcher.chaos;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.TriggerFired;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.PidFile;
import dev.engage.launcher.stack.ServiceException;
import dev.engage.launcher.stack.ServiceSpec;
import dev.engage.launcher.stack.StackServices;
import dev.engage.rules.store.RuleStore;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.TopicCatalog;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/**
 * One run of the fault suite on the running stack: a probe rule that fires on every probe, a
 * warm-up until it fires, then the steady probes ({@link ProbeTraffic}), the API's answers ({@link
 * ApiWatch}) and the faults ({@link FaultInjector}) side by side for the duration; then, with the
 * probes stopped, the committed data until it is right or the settle time is up ({@link
 * ChaosOutcome}), and a table of it all.
 */
public final class ChaosRun {
  /** The stream jobs' consumer group, whose lag on {@code touchpoints} is reported. */
  private static final String JOBS_GROUP = "engage-stream-jobs";

  private static final Duration WARM_UP = Duration.ofMinutes(3);
  private static final Duration CHECK_EVERY = Duration.ofSeconds(5);

  private static final String RULE =
      """
      id: chaos-probe
      name: Fires on every probe of engage chaos
      when:
        kind: event
        condition: "event.type == 'chaos_probe'"
      action:
        code: CHAOS_PROBE
        notify: none
      """;

  private final StackConfig config;
  private final String writeKey;
  private final String agentKey;
  private final RuleStore rules;
  private final PrintWriter out;
  private final TopicCatalog topics;
  private final String run = Long.toString(System.currentTimeMillis(), 36);

  public ChaosRun(
      StackConfig config, String writeKey, String agentKey, RuleStore rules, PrintWriter out) {
    this.config = config;
    this.writeKey = writeKey;
    this.agentKey = agentKey;
    this.rules = rules;
    this.out = out;
    this.topics = new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl()));
  }

  /** The stack's services, in start order. */
  public List<String> serviceNames() {
    return StackServices.of(config).stream().map(ServiceSpec::name).toList();
  }

  /** Runs the suite; true when every check held. */
  public boolean run(
      List<String> victimNames,
      Duration duration,
      Duration faultEvery,
      int maxFaults,
      int customers,
      double rate,
      Duration settle,
      long seed)
      throws Exception {
    List<ServiceSpec> victims = victims(victimNames);
    out.printf(
        "engage chaos: %d customers, %.0f probes/s through the collector for %s; a fault every"
            + " ~%s among %s%n",
        customers, rate, duration, faultEvery, String.join(", ", victimNames));
    rules.publish(RULE, "yaml", "engage chaos");
    String warmUpCustomer = warmUp();

    CommittedTail<TriggerFired> triggers =
        new CommittedTail<>(config.bootstrapServers(), topics.triggers());
    CommittedTail<CustomerProfile> profiles =
        new CommittedTail<>(config.bootstrapServers(), topics.profiles());
    ConsumerLag lag = new ConsumerLag(config.bootstrapServers());
    long baselineLag = lag.of(JOBS_GROUP, topics.touchpoints().name());

    ProbeTraffic traffic =
        new ProbeTraffic(URI.create(config.collectorUrl()), writeKey, run, customers, rate);
    Optional<ApiWatch> api =
        config.apiEnabled()
            ? Optional.of(new ApiWatch(URI.create(config.apiUrl()), warmUpCustomer, agentKey, out))
            : Optional.empty();
    FaultInjector faults =
        new FaultInjector(victims, config.runDir(), faultEvery, maxFaults, seed, out);
    List<Thread> threads = new ArrayList<>();
    threads.add(start("chaos-traffic", traffic));
    api.ifPresent(watch -> threads.add(start("chaos-api", watch)));
    Thread injector = start("chaos-faults", faults);

    long began = System.nanoTime();
    long end = began + duration.toNanos();
    // until the duration is up, or the faults are (all made, or one service did not come back)
    while (System.nanoTime() < end && injector.isAlive()) {
      injector.join(Math.min(30_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      out.printf(
          "chaos: %.0f s: %,d probes taken, %,d batches sent again%n",
          (System.nanoTime() - began) / 1e9, traffic.totalSent(), traffic.retries());
    }
    faults.stop();
    injector.join(); // its last kill's recovery is timed to the end
    traffic.stop();
    api.ifPresent(ApiWatch::stop);
    for (Thread thread : threads) {
      thread.join();
    }
    long lastProbe = System.nanoTime();

    ChaosOutcome outcome;
    double settled;
    try (UnifiedJedis redis = new JedisPooled("127.0.0.1", config.redisPort())) {
      long deadline = lastProbe + settle.toNanos();
      outcome = ChaosOutcome.read(traffic, redis, triggers, profiles);
      while (!outcome.right() && System.nanoTime() < deadline) {
        Thread.sleep(CHECK_EVERY.toMillis());
        outcome = ChaosOutcome.read(traffic, redis, triggers, profiles);
      }
      settled = (System.nanoTime() - lastProbe) / 1e9;
    }
    long endLag = lag.of(JOBS_GROUP, topics.touchpoints().name());
    long lagDeadline = System.nanoTime() + settle.toNanos();
    while (endLag > baselineLag && System.nanoTime() < lagDeadline) {
      Thread.sleep(CHECK_EVERY.toMillis());
      endLag = lag.of(JOBS_GROUP, topics.touchpoints().name());
    }
    double lagBack = (System.nanoTime() - lastProbe) / 1e9;

    ChaosReport report =
        new ChaosReport(
            faults.recoveries(),
            faults.cascades(),
            outcome,
            traffic.retries(),
            api.map(ApiWatch::answers).orElse(Map.of()),
            api.map(ApiWatch::failures).orElse(0L),
            settled,
            baselineLag,
            endLag,
            lagBack,
            faults.notRecovered());
    report.print(out);
    return report.passed();
  }

  /** The named services' specs; refused when one is not a service of the stack or not running. */
  private List<ServiceSpec> victims(List<String> names) {
    List<ServiceSpec> specs = StackServices.of(config);
    List<ServiceSpec> victims = new ArrayList<>();
    for (String name : names) {
      ServiceSpec spec =
          specs.stream()
              .filter(s -> s.name().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new ServiceException(
                          "no service '"
                              + name
                              + "' in this stack; its services are "
                              + String.join(", ", serviceNames())));
      if (PidFile.of(config.runDir(), name).liveProcess().isEmpty()) {
        throw new ServiceException(name + " is not running; see ./engage status");
      }
      victims.add(spec);
    }
    return victims;
  }

  /**
   * Probes of a customer of its own until one fires: a rule published to a running job applies from
   * the moment the job reads it, so the counted probes start after that. Returns the customer, whom
   * the API is then asked for.
   */
  private String warmUp() throws Exception {
    ProbeTraffic warmUp =
        new ProbeTraffic(URI.create(config.collectorUrl()), writeKey, run + "-warm", 1, 2);
    CommittedTail<TriggerFired> firings =
        new CommittedTail<>(config.bootstrapServers(), topics.triggers());
    Thread thread = start("chaos-warm-up", warmUp);
    long deadline = System.nanoTime() + WARM_UP.toNanos();
    boolean[] fired = {false};
    while (!fired[0]) {
      if (System.nanoTime() > deadline) {
        warmUp.stop();
        throw new ServiceException(
            "the probe rule did not fire within "
                + WARM_UP.toMinutes()
                + " minutes of warm-up; is stream-jobs running? See ./engage status");
      }
      Thread.sleep(CHECK_EVERY.toMillis());
      firings.read((key, f) -> fired[0] |= key.equals(warmUp.customer(0)));
    }
    warmUp.stop();
    thread.join();
    out.println("chaos: the probe rule fires; starting the probes and the faults");
    return warmUp.customer(0);
  }

  private static Thread start(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}

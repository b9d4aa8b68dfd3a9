package dev.engage.rulesbench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.rules.bench.SyntheticWorkload;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The JMH part of {@code engage bench rules}, as its own JVM (Drools stays off the launcher's
 * classpath): {@link RuleEvaluatorBenchmark} and {@link PeerBenchmark} in one JMH run, after a
 * check that Engage and Drools fire the same on each rule count's workloads. Prints touchpoints/s
 * and writes them as JSON.
 *
 * <p>Usage: {@code RulesJmh OUT.json [JMH options]}; JMH options given override the defaults (1
 * fork, 3 x 2 s warm-up, 5 x 2 s measured), e.g. {@code -p rules=10,1000}.
 */
public final class RulesJmh {
  private static final int AGREEMENT_TOUCHPOINTS = 20_000;

  private RulesJmh() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    CommandLineOptions given = new CommandLineOptions(Arrays.copyOfRange(args, 1, args.length));
    PrintWriter console = new PrintWriter(System.out, true);
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("agreement", agreement(ruleCounts(given), console));
    Collection<RunResult> runs = new Runner(options(given)).run();
    results.put("pureEvaluator", pureEvaluator(runs, console));
    results.put("peer", peer(runs, console));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(
        out, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(results));
  }

  private static Options options(CommandLineOptions given) {
    return new OptionsBuilder()
        .parent(given)
        .include(RuleEvaluatorBenchmark.class.getName())
        .include(PeerBenchmark.class.getName())
        .forks(given.getForkCount().orElse(1))
        .warmupIterations(given.getWarmupIterations().orElse(3))
        .warmupTime(given.getWarmupTime().orElse(TimeValue.seconds(2)))
        .measurementIterations(given.getMeasurementIterations().orElse(5))
        .measurementTime(given.getMeasurementTime().orElse(TimeValue.seconds(2)))
        .timeUnit(TimeUnit.SECONDS)
        .shouldFailOnError(true)
        .verbosity(given.verbosity().orElse(VerboseMode.SILENT))
        .build();
  }

  private static List<Integer> ruleCounts(CommandLineOptions given) {
    return given.getParameter("rules").hasValue()
        ? given.getParameter("rules").get().stream().map(Integer::parseInt).toList()
        : List.of(10, 100, 1000, 10000);
  }

  /** Both engines' firings on the first touchpoints of each mix, for each rule count. */
  private static List<Map<String, Object>> agreement(List<Integer> ruleCounts, PrintWriter out) {
    List<Map<String, Object>> results = new ArrayList<>();
    for (SyntheticWorkload.Mix mix : SyntheticWorkload.Mix.values()) {
      for (int rules : ruleCounts) {
        Agreement.Firings firings = Agreement.of(mix, rules, AGREEMENT_TOUCHPOINTS);
        boolean equal = firings.same();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("mix", mix.name().toLowerCase());
        result.put("rules", rules);
        result.put("touchpoints", AGREEMENT_TOUCHPOINTS);
        result.put("engageFirings", firings.engage().size());
        result.put("droolsFirings", firings.drools().size());
        result.put("sameFirings", equal);
        results.add(result);
        out.printf(
            "  firings on %,d touchpoints, %-9s %,6d event rules: Engage %,d, Drools %,d%s%n",
            AGREEMENT_TOUCHPOINTS,
            mix.name().toLowerCase(),
            rules,
            firings.engage().size(),
            firings.drools().size(),
            equal ? ", the same" : ", NOT THE SAME");
        if (!equal) {
          throw new IllegalStateException("Engage and Drools disagree on " + mix + " " + rules);
        }
      }
    }
    return results;
  }

  private static List<Map<String, Object>> pureEvaluator(
      Collection<RunResult> runs, PrintWriter out) {
    List<Map<String, Object>> results = new ArrayList<>();
    Map<String, Double> tenRules = new LinkedHashMap<>();
    for (RunResult run : of(runs, RuleEvaluatorBenchmark.class)) {
      Map<String, Object> result = figures(run);
      String mix = (String) result.get("mix");
      int rules = (int) result.get("rules");
      double perSecond = run.getPrimaryResult().getScore();
      if (rules == 10) {
        tenRules.put(mix, perSecond);
      }
      String ratio = "";
      if (tenRules.containsKey(mix)) {
        double vsTen = perSecond / tenRules.get(mix);
        result.put("vsTenRules", Math.round(vsTen * 1000) / 1000.0);
        ratio = String.format(", %.3f of the 10-rule run", vsTen);
      }
      results.add(result);
      out.printf(
          "  pure evaluator, %-9s %,6d rules: %,11.0f touchpoints/s (± %,.0f)%s%n",
          mix, rules, perSecond, run.getPrimaryResult().getScoreError(), ratio);
    }
    return results;
  }

  /** Engage and Drools side by side, per mix and rule count. */
  private static List<Map<String, Object>> peer(Collection<RunResult> runs, PrintWriter out) {
    Map<String, Map<String, Object>> byWorkload = new LinkedHashMap<>();
    for (RunResult run : of(runs, PeerBenchmark.class)) {
      Map<String, Object> figures = figures(run);
      String engine = run.getParams().getParam("engine").toLowerCase();
      Map<String, Object> row =
          byWorkload.computeIfAbsent(
              figures.get("mix") + "/" + figures.get("rules"),
              key -> {
                Map<String, Object> fresh = new LinkedHashMap<>();
                fresh.put("mix", figures.get("mix"));
                fresh.put("rules", figures.get("rules"));
                return fresh;
              });
      row.put(engine + "TouchpointsPerSecond", figures.get("touchpointsPerSecond"));
      row.put(engine + "Error99", figures.get("error99"));
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (Map<String, Object> row : byWorkload.values()) {
      long engage = (long) row.getOrDefault("engageTouchpointsPerSecond", 0L);
      long drools = (long) row.getOrDefault("droolsTouchpointsPerSecond", 0L);
      if (drools > 0) {
        row.put("engageVsDrools", Math.round((double) engage / drools * 1000) / 1000.0);
      }
      results.add(row);
      out.printf(
          "  event rules, %-9s %,6d rules: Engage %,11d touchpoints/s, Drools %,11d/s, Engage/Drools %.3f%n",
          row.get("mix"),
          row.get("rules"),
          engage,
          drools,
          drools > 0 ? (double) engage / drools : Double.NaN);
    }
    return results;
  }

  private static List<RunResult> of(Collection<RunResult> runs, Class<?> benchmark) {
    return runs.stream()
        .filter(run -> run.getParams().getBenchmark().startsWith(benchmark.getName() + "."))
        .toList();
  }

  private static Map<String, Object> figures(RunResult run) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("mix", run.getParams().getParam("mix").toLowerCase());
    result.put("rules", Integer.parseInt(run.getParams().getParam("rules")));
    result.put("touchpointsPerSecond", Math.round(run.getPrimaryResult().getScore()));
    result.put("error99", Math.round(run.getPrimaryResult().getScoreError()));
    return result;
  }
}

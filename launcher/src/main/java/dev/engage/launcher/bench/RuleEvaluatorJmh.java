package dev.engage.launcher.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link RuleEvaluatorBenchmark} with JMH in a forked JVM and reports touchpoints/s per mix
 * and rule count, each with its ratio to the same mix's 10-rule run.
 */
public final class RuleEvaluatorJmh {
  private RuleEvaluatorJmh() {}

  public static List<Map<String, Object>> run(PrintWriter out) throws Exception {
    Options options =
        new OptionsBuilder()
            .include(RuleEvaluatorBenchmark.class.getName())
            .forks(1)
            .warmupIterations(3)
            .warmupTime(TimeValue.seconds(2))
            .measurementIterations(5)
            .measurementTime(TimeValue.seconds(2))
            .timeUnit(TimeUnit.SECONDS)
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT)
            .build();
    Collection<RunResult> runs = new Runner(options).run();
    List<Map<String, Object>> results = new ArrayList<>();
    Map<String, Double> tenRulesByMix = new LinkedHashMap<>();
    for (RunResult run : runs) {
      int rules = Integer.parseInt(run.getParams().getParam("rules"));
      String mix = run.getParams().getParam("mix");
      double perSecond = run.getPrimaryResult().getScore();
      double error = run.getPrimaryResult().getScoreError();
      if (rules == 10) {
        tenRulesByMix.put(mix, perSecond);
      }
      double tenRules = tenRulesByMix.getOrDefault(mix, 0.0);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("mix", mix.toLowerCase());
      result.put("rules", rules);
      result.put("touchpointsPerSecond", Math.round(perSecond));
      result.put("error99", Math.round(error));
      result.put("ruleEvaluationsPerSecond", Math.round(perSecond * rules));
      if (tenRules > 0) {
        result.put("vsTenRules", Math.round(perSecond / tenRules * 1000) / 1000.0);
      }
      results.add(result);
      out.printf(
          "  pure evaluator, %-9s %,6d rules: %,11.0f touchpoints/s (± %,.0f), %,.0f rule evaluations/s%s%n",
          mix.toLowerCase(),
          rules,
          perSecond,
          error,
          perSecond * rules,
          tenRules > 0 ? String.format(", %.3f of the 10-rule run", perSecond / tenRules) : "");
      out.flush();
    }
    return results;
  }
}

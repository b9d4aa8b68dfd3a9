package dev.engage.launcher;

import dev.engage.avro.RuleRecord;
import dev.engage.launcher.config.ConfigException;
import dev.engage.launcher.config.StackConfig;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.Definition;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.definition.InvalidRuleException;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.definition.RuleParser;
import dev.engage.rules.definition.RuleProblem;
import dev.engage.rules.store.RuleStore;
import dev.engage.rules.store.VersionConflictException;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.TopicCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code engage rules ...}: check, publish, list and delete the definitions marketing writes:
 * trigger rules, segments, scoring models and offers.
 */
@Command(
    name = "rules",
    description =
        "Definitions (trigger rules, segments, scoring models, offers): validate, apply (publish), list,"
            + " delete; backtest a trigger rule.",
    subcommands = {
      RulesCommand.Validate.class,
      RulesCommand.Apply.class,
      RulesCommand.ListRules.class,
      RulesCommand.Delete.class,
      BacktestCommand.class
    })
final class RulesCommand {
  private static final ConditionCompiler COMPILER = new ConditionCompiler();

  /** Reads definitions of every kind. */
  static final DefinitionParser DEFINITION_PARSER = new DefinitionParser(COMPILER);

  /** Reads trigger rules only (benchmarks). */
  static final RuleParser RULE_PARSER = new RuleParser(COMPILER);

  /** Reads every .yaml/.yml/.json file given (directories: their files) and parses it. */
  private static Map<Path, Object> read(List<Path> paths, PrintWriter out) throws IOException {
    Map<Path, Object> results = new LinkedHashMap<>();
    for (Path file : files(paths)) {
      try {
        results.put(file, DEFINITION_PARSER.parse(Files.readString(file)));
      } catch (InvalidRuleException e) {
        results.put(file, e);
        for (RuleProblem problem : e.problems()) {
          out.println(file + ":" + problem);
        }
      }
    }
    return results;
  }

  private static List<Path> files(List<Path> paths) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        // folders of folders too (examples/ keeps rules, segments and scoring apart)
        List<Path> found;
        try (Stream<Path> listing = Files.walk(path)) {
          found =
              listing
                  .filter(Files::isRegularFile)
                  .filter(RulesCommand::isDefinition)
                  .sorted()
                  .toList();
        }
        if (found.isEmpty()) {
          throw new ConfigException(path + " holds no definitions (.yaml, .yml or .json files)");
        }
        files.addAll(found);
      } else if (Files.isReadable(path)) {
        files.add(path);
      } else {
        throw new ConfigException(path + " does not exist or cannot be read");
      }
    }
    return files;
  }

  private static boolean isDefinition(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  /** The stack's rule store, which also writes every version to the rules.history topic. */
  static RuleStore store(StackConfig config) {
    TopicCatalog topics =
        new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl()));
    return new RuleStore(
        config.bootstrapServers(), topics.rules(), topics.rulesHistory(), DEFINITION_PARSER);
  }

  /** "rule, event" for a trigger rule (with its trigger's kind), else the kind: "segment". */
  private static String describe(Definition definition) {
    return definition instanceof Rule rule
        ? Rule.KIND + ", " + rule.trigger().kind()
        : definition.kind();
  }

  private static String describe(RuleActivity.Figures figures) {
    String errors =
        figures == null || figures.evaluationErrors() == 0
            ? ""
            : "; "
                + figures.evaluationErrors()
                + " evaluation errors (conditions that failed at runtime)";
    return fired(figures) + errors;
  }

  private static String fired(RuleActivity.Figures figures) {
    if (figures == null || figures.firings() == 0) {
      return "; not fired since the job started";
    }
    String fired =
        figures.firings() == 1 ? "; fired once" : "; fired " + figures.firings() + " times";
    return figures.freshnessMedianMs() == null
        ? fired
        : fired
            + String.format(
                ", freshness median %.0f ms, p99 %.0f ms",
                figures.freshnessMedianMs(), figures.freshnessP99Ms());
  }

  /** {@code engage rules validate FILE...}. */
  @Command(
      name = "validate",
      description =
          "Check definition files (trigger rules, segments, scoring models, offers); problems are printed"
              + " as file:line:column.")
  static final class Validate implements Callable<Integer> {
    @Parameters(
        paramLabel = "FILE",
        arity = "1..*",
        description = "Definition files (.yaml, .yml, .json) or directories of them.")
    List<Path> paths;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      Map<Path, Object> results = read(paths, out);
      results.forEach(
          (file, result) -> {
            if (result instanceof Definition definition) {
              out.println(file + ": ok (" + definition.id() + ", " + describe(definition) + ")");
            }
          });
      return results.values().stream().allMatch(r -> r instanceof Definition) ? 0 : 1;
    }
  }

  /** {@code engage rules apply FILE|DIR...}: nothing is published while a file has problems. */
  @Command(
      name = "apply",
      description =
          "Validate every file, then publish the definitions (trigger rules, segments, scoring"
              + " models, offers) to the rules topic (versioned), all in one transaction; nothing"
              + " is published while a file has problems.")
  static final class Apply implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Parameters(
        paramLabel = "FILE",
        arity = "1..*",
        description = "Definition files (.yaml, .yml, .json) or directories of them.")
    List<Path> paths;

    @Option(
        names = "--expect-version",
        paramLabel = "N",
        description =
            "Publish only if the definition is still at version N (0: not published yet), the"
                + " version you started editing from; one definition only.")
    Integer expectVersion;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      Map<Path, Object> results = read(paths, out);
      if (!results.values().stream().allMatch(r -> r instanceof Definition)) {
        out.println("engage: nothing published: fix the problems above first");
        return 1;
      }
      if (expectVersion != null && results.size() != 1) {
        out.println("engage: --expect-version applies to one definition; nothing published");
        return 1;
      }
      List<RuleStore.Draft> drafts = new ArrayList<>();
      for (Path file : results.keySet()) {
        drafts.add(
            new RuleStore.Draft(
                Files.readString(file),
                file.toString().endsWith(".json") ? "json" : "yaml",
                expectVersion == null ? OptionalInt.empty() : OptionalInt.of(expectVersion)));
      }
      List<RuleStore.Published> published;
      try {
        published = store(options.load()).publishAll(drafts, System.getProperty("user.name"));
      } catch (InvalidRuleException e) {
        // valid on its own, but at odds with what is published (a second scoring model)
        e.problems().forEach(problem -> out.println(problem));
        out.println("engage: nothing published");
        return 1;
      } catch (VersionConflictException e) {
        out.println("engage: " + e.getMessage() + "; nothing published");
        return 1;
      }
      for (RuleStore.Published p : published) {
        out.printf(
            "%s: version %d %s%n", p.id(), p.version(), p.changed() ? "published" : "unchanged");
      }
      return 0;
    }
  }

  /** {@code engage rules list}. */
  @Command(
      name = "list",
      description =
          "List the published definitions (trigger rules, segments, scoring models, offers) with their"
              + " kind; for trigger rules, how often they fired.")
  static final class ListRules implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      StackConfig config = options.load();
      Map<String, RuleRecord> definitions = store(config).current();
      if (definitions.isEmpty()) {
        out.println("nothing published yet (engage rules apply FILE)");
        return 0;
      }
      List<String> ruleIds =
          definitions.values().stream()
              .filter(r -> r.getKind().equals(Rule.KIND))
              .map(RuleRecord::getId)
              .toList();
      Optional<Map<String, RuleActivity.Figures>> activity =
          new RuleActivity(URI.create("http://localhost:" + config.jobsRestPort())).of(ruleIds);
      for (RuleRecord r : definitions.values()) {
        boolean rule = r.getKind().equals(Rule.KIND);
        out.printf(
            "  %-28s %-13s v%-3d %-8s updated %s by %s%s%n",
            r.getId(),
            r.getKind(),
            r.getVersion(),
            r.getEnabled() ? "enabled" : "disabled",
            r.getUpdatedAt(),
            r.getUpdatedBy(),
            rule ? activity.map(a -> describe(a.get(r.getId()))).orElse("") : "");
      }
      if (activity.isEmpty()) {
        out.println("(firings and freshness appear here while the Flink job runs: ./engage up)");
      }
      return 0;
    }
  }

  /** {@code engage rules delete ID}. */
  @Command(
      name = "delete",
      description =
          "Delete a published definition (trigger rule, segment, scoring model or offer).")
  static final class Delete implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Parameters(paramLabel = "ID", description = "The definition's id.")
    String id;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      boolean deleted = store(options.load()).delete(id);
      spec.commandLine().getOut().println(deleted ? id + ": deleted" : id + ": no such definition");
      return deleted ? 0 : 1;
    }
  }
}

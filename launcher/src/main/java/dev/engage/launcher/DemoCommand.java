package dev.engage.launcher;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.generate.FlightSchedule;
import dev.engage.launcher.generate.ScenarioGenerator;
import dev.engage.launcher.generate.ScenarioSettings;
import dev.engage.launcher.generate.StackSink;
import dev.engage.launcher.stack.ServiceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engage demo}: Engage's main job on an embedded default. Starts a fresh stack in its own
 * data directory, applies {@code examples/}, replays a generated scenario through the collector
 * with a live progress line, prints where to look, and keeps running until Ctrl-C.
 */
@Command(
    name = "demo",
    description = {
      "Run the demo: a fresh local stack (data in .engage-demo, wiped at each start), the starter"
          + " definitions of examples/, and a generated scenario replayed through the collector.",
      "Keeps running until Ctrl-C, then stops the stack."
    })
final class DemoCommand implements Callable<Integer> {
  static final String DATA_DIR = ".engage-demo";

  @Mixin ConfigOptions options;

  @Option(
      names = "--customers",
      defaultValue = "2000",
      description = "Customers (default: ${DEFAULT-VALUE}).")
  int customers;

  @Option(
      names = "--days",
      defaultValue = "30",
      description = "Simulated days (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--no-wait",
      description = "Stop the stack once the scenario is replayed instead of waiting for Ctrl-C.")
  boolean noWait;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (options.dataDir == null) {
      options.dataDir = DATA_DIR;
    }
    StackConfig config = options.load();
    if (RunFiles.supervisor(config).liveProcess().isPresent()) {
      throw new ServiceException(
          "a demo stack is already running; stop it with ./engage down --data-dir "
              + options.dataDir);
    }
    wipe(config.dataDir());
    List<String> stackArgs = options.asArgs();
    if (run(out, "up", "--detach", stackArgs) != 0) {
      return 1;
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> run(out, "down", null, stackArgs), "demo-stop"));
    Path examples = Path.of(System.getProperty("engage.home", ".")).resolve("examples");
    List<String> apply = new ArrayList<>(stackArgs);
    apply.add(examples.toString());
    if (run(out, "rules", "apply", apply) != 0) {
      return 1;
    }
    ScenarioGenerator generator =
        new ScenarioGenerator(
            new ScenarioSettings(
                customers,
                seed,
                // ending now, not at midnight: the last hours' offers are still open when it is in
                Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(days)),
                Duration.ofDays(days)));
    replay(config, generator, out);
    summary(config, generator, out);
    if (noWait) {
      return 0;
    }
    out.println("The demo keeps running; Ctrl-C stops it.");
    out.flush();
    Thread.currentThread().join();
    return 0;
  }

  /** Sends the scenario on a thread of its own while the main thread draws the progress line. */
  private void replay(StackConfig config, ScenarioGenerator generator, PrintWriter out)
      throws Exception {
    AtomicLong sent = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread sender =
        new Thread(
            () -> {
              try (StackSink sink = GenerateCommand.stackSink(config)) {
                generator.generate(
                    e -> {
                      sink.accept(e);
                      sent.incrementAndGet();
                    });
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "demo-scenario");
    try (DemoFigures figures = new DemoFigures(config)) {
      long began = System.nanoTime();
      sender.start();
      while (sender.isAlive()) {
        sender.join(2000);
        out.println(figures.line(sent.get(), (System.nanoTime() - began) / 1e9, customers));
        out.flush();
      }
      if (failure.get() != null) {
        throw new ServiceException("the scenario could not be sent: " + failure.get().getMessage());
      }
      Thread.sleep(5000); // let the jobs catch up before the last figures
      out.println(figures.line(sent.get(), (System.nanoTime() - began) / 1e9, customers));
    }
  }

  private void summary(StackConfig config, ScenarioGenerator generator, PrintWriter out) {
    out.println();
    out.println("engage demo: the scenario is in. Where to look:");
    FlightSchedule flights = generator.flights();
    FlightSchedule.Disruption delayed = flights.disruptions().get(0);
    String passenger =
        flights.passengers(delayed.flightKey()).stream().findFirst().orElse("c00000");
    out.println(
        "  Agent console    "
            + config.apiUrl()
            + "/console   (open "
            + passenger
            + ", a passenger of "
            + delayed.flightKey()
            + ", delayed "
            + delayed.delayMinutes()
            + " min)");
    out.println(
        "  Rule studio      "
            + config.apiUrl()
            + "/studio   (the example rules and how often they fired)");
    out.println(
        "  Sent messages    "
            + config.mailboxUrl()
            + "   (email, SMS and push as the customers got them)");
    out.println("  Flight jobs      http://localhost:" + config.jobsRestPort() + "/jobs/overview");
    Endpoints.print(config, out);
  }

  private static int run(PrintWriter out, String command, String sub, List<String> args) {
    List<String> all = new ArrayList<>(List.of(command));
    if (sub != null) {
      all.add(sub);
    }
    all.addAll(args);
    CommandLine cli = EngageCli.commandLine();
    cli.setOut(out);
    cli.setErr(out);
    return cli.execute(all.toArray(String[]::new));
  }

  /** Removes the demo's own data directory, so every demo starts from nothing. */
  private static void wipe(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    if (!dir.getFileName().toString().contains("demo")) {
      throw new ServiceException(
          "engage demo wipes its data directory at start; give it one with 'demo' in its name, not "
              + dir);
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

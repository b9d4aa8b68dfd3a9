package dev.engage.launcher;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.generate.Emitted;
import dev.engage.launcher.generate.Emitted.Target;
import dev.engage.launcher.generate.EventSink;
import dev.engage.launcher.generate.FileSink;
import dev.engage.launcher.generate.FlightSchedule;
import dev.engage.launcher.generate.ScenarioGenerator;
import dev.engage.launcher.generate.ScenarioSettings;
import dev.engage.launcher.generate.StackSink;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engage generate}: a seeded scenario of customers browsing, calling, buying and flying,
 * sent through the running stack's public interfaces (or written to files), with a progress line.
 */
@Command(
    name = "generate",
    description = {
      "Generate a repeatable scenario (same seed, same events): web and app sessions, carts,"
          + " purchases online and in stores, calls, invoices, preferences, bookings, delays and a"
          + " cancellation.",
      "Sends it through the collector of the running stack (./engage up -d), or with --to-files"
          + " writes it as JSON lines, one file per interface."
    })
final class GenerateCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(
      names = "--customers",
      defaultValue = "10000",
      description = "Customers (default: ${DEFAULT-VALUE}).")
  int customers;

  @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--days",
      defaultValue = "30",
      description = "Simulated days (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(
      names = "--start",
      description =
          "Start of simulated time, ISO-8601 (default: --days before today's midnight, UTC).")
  Instant start;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "Events per second at most; 0: as fast as the stack takes them (default).")
  double rate;

  @Option(names = "--to-files", description = "Write JSON lines into this directory instead.")
  Path toFiles;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Duration span = Duration.ofDays(days);
    ScenarioSettings settings =
        new ScenarioSettings(
            customers, seed, start == null ? ScenarioSettings.defaultStart(span) : start, span);
    ScenarioGenerator generator = new ScenarioGenerator(settings);
    GenerationProgress progress = new GenerationProgress(out, rate);
    try (EventSink sink = toFiles != null ? new FileSink(toFiles) : stackSink(options.load())) {
      out.printf(
          "engage generate: %,d customers over %d days from %s (seed %d) %s%n",
          customers,
          days,
          settings.start(),
          seed,
          toFiles != null ? "into " + toFiles : "through the collector");
      generator.generate(
          event -> {
            sink.accept(event);
            progress.sent(event);
          });
    }
    progress.done();
    for (FlightSchedule.Disruption d : generator.flights().disruptions()) {
      out.printf(
          "  %s %s%s: %d booked customers%n",
          d.flightKey(),
          d.status().toLowerCase(java.util.Locale.ROOT),
          d.delayMinutes() > 0 ? " " + d.delayMinutes() + " min" : "",
          generator.flights().passengers(d.flightKey()).size());
    }
    return 0;
  }

  /** The sink that sends to the stack's collector with each local source's write key. */
  static StackSink stackSink(StackConfig config) throws Exception {
    Map<Target, String> keys = new EnumMap<>(Target.class);
    keys.put(Target.WEB, LocalWriteKeys.of(config, "website"));
    keys.put(Target.APP, LocalWriteKeys.of(config, "mobile-app"));
    keys.put(Target.CALL_CENTER, LocalWriteKeys.of(config, "call-center"));
    keys.put(Target.POS, LocalWriteKeys.of(config, "store-pos"));
    keys.put(Target.BOOKING, LocalWriteKeys.of(config, "flight-ops"));
    keys.put(Target.FLIGHT_STATUS, LocalWriteKeys.of(config, "flight-ops"));
    return new StackSink(URI.create(config.collectorUrl()), keys);
  }

  /** Paces the run to {@code --rate} and prints a progress line every second. */
  private static final class GenerationProgress {
    private final PrintWriter out;
    private final double rate;
    private final long began = System.nanoTime();
    private final Map<Target, Long> byTarget = new EnumMap<>(Target.class);
    private long sent;
    private long printedAt = System.nanoTime();
    private Instant simulated;

    GenerationProgress(PrintWriter out, double rate) {
      this.out = out;
      this.rate = rate;
    }

    void sent(Emitted event) {
      sent++;
      simulated = event.at();
      byTarget.merge(event.target(), 1L, Long::sum);
      if (rate > 0) {
        long due = began + (long) (sent / rate * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
      if (System.nanoTime() - printedAt > 1_000_000_000L) {
        print();
        printedAt = System.nanoTime();
      }
    }

    void done() {
      print();
    }

    private void print() {
      double seconds = (System.nanoTime() - began) / 1e9;
      out.printf(
          "  %,10d events  %,8.0f/s  simulated %s  %s%n",
          sent, sent / Math.max(seconds, 1e-3), simulated, byTarget);
      out.flush();
    }
  }
}

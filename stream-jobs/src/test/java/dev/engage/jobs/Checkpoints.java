package dev.engage.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;

/**
 * Checkpoints for the recovery tests, as production takes them: RocksDB, incremental, kept on
 * cancellation in a test's own directory, and the configuration that restores one.
 */
public final class Checkpoints {
  private final Path dir;
  private final Duration interval;

  public Checkpoints(Path dir, Duration interval) {
    this.dir = dir;
    this.interval = interval;
  }

  /** The Flink configuration of a job that checkpoints into the directory. */
  public Configuration configuration() {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, interval);
    conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 100); // the awaited one stays
    conf.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    return conf;
  }

  /** Like {@link #configuration()}, restoring the job from the given checkpoint. */
  public Configuration restoring(Path checkpoint) {
    Configuration conf = configuration();
    conf.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toString());
    return conf;
  }

  /** Waits for a completed checkpoint newer than the newest one now. */
  public Path awaitNew() throws Exception {
    Optional<Path> before = newest();
    Duration timeout = interval.multipliedBy(3);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Path> now = newest();
      if (now.isPresent() && !now.equals(before)) {
        return now.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no checkpoint completed within " + timeout);
  }

  /** The completed checkpoint ({@code <job>/chk-N/_metadata}) with the highest N. */
  public Optional<Path> newest() throws Exception {
    try (Stream<Path> files =
        Files.find(dir, 3, (p, a) -> p.getFileName().toString().equals("_metadata"))) {
      return files
          .map(Path::getParent)
          .max(
              Comparator.comparingInt(
                  p -> Integer.parseInt(p.getFileName().toString().substring("chk-".length()))));
    }
  }
}

package dev.engage.schemas.jobs;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The {@link JobTuning} as command-line options: the stream jobs take them ({@code @Mixin
 * JobTuningOptions}) and the launcher hands them down ({@link #flags}). The defaults are {@link
 * JobTuning#defaults()}.
 */
public final class JobTuningOptions {
  @Option(
      names = "--checkpoint-interval",
      defaultValue = "PT10S",
      description = "ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration checkpointInterval;

  @Option(
      names = "--parallelism",
      defaultValue = "2",
      description = "The job's parallelism (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--out-of-orderness",
      defaultValue = "PT5S",
      description = "How late events may arrive (default: ${DEFAULT-VALUE}).")
  Duration outOfOrderness;

  @Option(
      names = "--idle-after",
      defaultValue = "PT30S",
      description =
          "A Kafka partition without events for this long stops holding back event time"
              + " (default: ${DEFAULT-VALUE}).")
  Duration idleAfter;

  @Option(
      names = "--redis-max-delay",
      defaultValue = "PT0.05S",
      description = "How far Redis may lag behind the profile job (default: ${DEFAULT-VALUE}).")
  Duration redisMaxDelay;

  @Option(
      names = "--profile-ttl",
      defaultValue = "P90D",
      description =
          "Customers untouched this long leave the job's state; their next event reloads them"
              + " from Redis (default: ${DEFAULT-VALUE}).")
  Duration profileTimeToLive;

  /** The tuning the options describe; {@link IllegalArgumentException} names each bad value. */
  public JobTuning settings() {
    return new JobTuning(
        checkpointInterval,
        parallelism,
        outOfOrderness,
        idleAfter,
        redisMaxDelay,
        profileTimeToLive);
  }

  /** The options that give the stream jobs this tuning. */
  public static List<String> flags(JobTuning tuning) {
    return List.of(
        "--checkpoint-interval",
        tuning.checkpointInterval().toString(),
        "--parallelism",
        Integer.toString(tuning.parallelism()),
        "--out-of-orderness",
        tuning.outOfOrderness().toString(),
        "--idle-after",
        tuning.idleAfter().toString(),
        "--redis-max-delay",
        tuning.redisMaxDelay().toString(),
        "--profile-ttl",
        tuning.profileTimeToLive().toString());
  }
}

package dev.engage.launcher.flink;

import dev.engage.schemas.jobs.Checkpoints;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the stream jobs running on a Flink session cluster, as the stack's {@code stream-jobs}
 * service when {@code jobs.flink} is {@code cluster}. It waits for enough task slots, submits the
 * job jar over REST from the newest retained checkpoint (as {@code flink run -s} would), then
 * watches the job. A job already running under the name is adopted, not submitted again. When the
 * JobManager restarts and forgets the job, the job is submitted again from the newest checkpoint;
 * when the job ends (failed past its restart strategy, or cancelled) this process exits with 1, so
 * the supervisor counts a failure and starts it again.
 */
public final class JobSubmitter {
  /** The job's name, as {@code EngageApplication} runs it. */
  public static final String JOB_NAME = "engage";

  public static final String ENTRY_CLASS = "dev.engage.jobs.ClusterJobMain";

  private static final Duration POLL = Duration.ofSeconds(1);

  private final FlinkRest flink;
  private final Path jobJar;
  private final Path checkpointDir;
  private final int slotsNeeded;
  private final List<String> jobArgs;
  private final PrintWriter log;

  public JobSubmitter(
      FlinkRest flink,
      Path jobJar,
      Path checkpointDir,
      int slotsNeeded,
      List<String> jobArgs,
      PrintWriter log) {
    this.flink = flink;
    this.jobJar = jobJar;
    this.checkpointDir = checkpointDir;
    this.slotsNeeded = slotsNeeded;
    this.jobArgs = List.copyOf(jobArgs);
    this.log = log;
  }

  /** Runs until the job ends; returns the exit code (1: it ended). */
  public int run() throws InterruptedException {
    while (true) {
      awaitSlots();
      Optional<String> job = running();
      try {
        if (job.isEmpty()) {
          job = submit();
        }
      } catch (FlinkRest.FlinkRestException e) {
        log.println("stream-jobs: the cluster refused the job: " + e.getMessage());
        return 1;
      }
      if (job.isEmpty()) {
        continue;
      }
      Optional<FlinkRest.Job> ended = watch(job.get());
      if (ended.isPresent()) {
        log.println("stream-jobs: the job " + ended.get().id() + " is " + ended.get().state());
        return 1;
      }
      log.println("stream-jobs: the JobManager no longer knows the job; submitting it again");
    }
  }

  /** The engage job the cluster runs already (a restart of this process finds it there). */
  private Optional<String> running() {
    try {
      return flink.jobs().stream()
          .filter(j -> j.name().equals(JOB_NAME) && !j.ended())
          .map(
              j -> {
                log.println("stream-jobs: the cluster runs the job already: " + j.id());
                return j.id();
              })
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Uploads the jar and runs it from the newest checkpoint; empty when the JobManager went away
   * meanwhile (then the caller waits for it again).
   */
  private Optional<String> submit() throws FlinkRest.FlinkRestException {
    try {
      Optional<Path> checkpoint = Checkpoints.newest(checkpointDir);
      log.println(
          "stream-jobs: submitting "
              + jobJar.getFileName()
              + checkpoint.map(c -> " from checkpoint " + c).orElse(" with no state to restore"));
      String jar = flink.upload(jobJar);
      try {
        String job = flink.run(jar, ENTRY_CLASS, jobArgs, checkpoint);
        log.println("stream-jobs: submitted as job " + job);
        return Optional.of(job);
      } finally {
        flink.deleteJar(jar);
      }
    } catch (FlinkRest.FlinkRestException e) {
      throw e;
    } catch (IOException e) {
      log.println("stream-jobs: the JobManager went away while submitting: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Until the job ends (returned) or the JobManager forgets it (empty). */
  private Optional<FlinkRest.Job> watch(String jobId) throws InterruptedException {
    while (true) {
      Thread.sleep(POLL.toMillis());
      Optional<FlinkRest.Job> job;
      try {
        job = flink.job(jobId);
      } catch (IOException e) {
        continue; // the JobManager is down: it may come back with or without the job
      }
      if (job.isEmpty()) {
        return Optional.empty();
      }
      if (job.get().ended()) {
        return job;
      }
    }
  }

  private void awaitSlots() throws InterruptedException {
    boolean told = false;
    while (true) {
      try {
        if (flink.totalSlots() >= slotsNeeded) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      if (!told) {
        log.println("stream-jobs: waiting for the JobManager and " + slotsNeeded + " task slots");
        told = true;
      }
      Thread.sleep(POLL.toMillis());
    }
  }
}

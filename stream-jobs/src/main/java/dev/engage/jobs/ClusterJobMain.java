package dev.engage.jobs;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * The job jar's entry point on a Flink cluster ({@code /jars/{id}/run}, {@code flink run}): the
 * same flags as {@link StreamJobsMain}, but the main runs inside the JobManager there, so it must
 * never call {@code System.exit}. A refused flag or a failure is thrown instead, and the cluster
 * answers the submission with it.
 */
public final class ClusterJobMain {
  private ClusterJobMain() {}

  public static void main(String[] args) {
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new StreamJobsMain()).setErr(new PrintWriter(err, true)).execute(args);
    if (code != 0) {
      // what picocli printed: the refused flag, or the failure's stack trace
      throw new IllegalStateException(err.toString().trim());
    }
  }
}

package dev.engage.launcher.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The part of a Flink cluster's REST API that submitting and watching a job takes, as {@code flink
 * run} uses it: {@code /jars/upload}, {@code /jars/{id}/run}, {@code /jobs/overview}, {@code
 * /taskmanagers}. A call that cannot reach the cluster throws {@link IOException}.
 */
public final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Running the job's main (it reads topic metadata and registers schemas) takes a while. */
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

  private final URI base;

  private FlinkRest(URI base) {
    this.base = base;
  }

  public static FlinkRest of(String url) {
    return new FlinkRest(URI.create(url.endsWith("/") ? url : url + "/"));
  }

  /** A job as the cluster lists it, with how many of its tasks run. */
  public record Job(String id, String name, String state, int tasks, int tasksRunning) {
    /** FINISHED, CANCELED or FAILED: the job will not run again by itself. */
    public boolean ended() {
      return state.equals("FINISHED") || state.equals("CANCELED") || state.equals("FAILED");
    }

    /**
     * RUNNING with every task deployed and running: only then does it process records and take
     * checkpoints and savepoints (a job is RUNNING before its tasks are).
     */
    public boolean fullyRunning() {
      return state.equals("RUNNING") && tasks > 0 && tasksRunning == tasks;
    }
  }

  /** True when a job runs with all its tasks (see {@link Job#fullyRunning}). */
  public boolean runsAJob() {
    try {
      return jobs().stream().anyMatch(Job::fullyRunning);
    } catch (IOException e) {
      return false;
    }
  }

  /** True when the JobManager answers. */
  public boolean answers() {
    try {
      return get("overview").has("flink-version");
    } catch (IOException e) {
      return false;
    }
  }

  /** The task slots of every TaskManager registered now, free or not. */
  public int totalSlots() throws IOException {
    return get("overview").path("slots-total").asInt();
  }

  /** The resource ids of the TaskManagers registered now. */
  public List<String> taskManagers() {
    List<String> ids = new ArrayList<>();
    try {
      get("taskmanagers").path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText()));
    } catch (IOException e) {
      // none that can be seen
    }
    return ids;
  }

  public List<Job> jobs() throws IOException {
    List<Job> jobs = new ArrayList<>();
    get("jobs/overview")
        .path("jobs")
        .forEach(
            j ->
                jobs.add(
                    new Job(
                        j.path("jid").asText(),
                        j.path("name").asText(),
                        j.path("state").asText(),
                        j.path("tasks").path("total").asInt(),
                        j.path("tasks").path("running").asInt())));
    return jobs;
  }

  /** The job by its id; empty when the cluster does not know it (a JobManager started since). */
  public Optional<Job> job(String id) throws IOException {
    return jobs().stream().filter(j -> j.id().equals(id)).findFirst();
  }

  /** Uploads the jar; returns the id the cluster gave it. */
  public String upload(Path jar) throws IOException {
    String boundary = "engage-" + UUID.randomUUID();
    String head =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
            + jar.getFileName()
            + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    // streamed from the file: a job jar is tens of megabytes
    HttpRequest.BodyPublisher body =
        HttpRequest.BodyPublishers.concat(
            HttpRequest.BodyPublishers.ofString(head),
            HttpRequest.BodyPublishers.ofFile(jar),
            HttpRequest.BodyPublishers.ofString(tail));
    JsonNode answer =
        send(
            HttpRequest.newBuilder(base.resolve("jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(body)
                .timeout(RUN_TIMEOUT));
    return Path.of(answer.path("filename").asText()).getFileName().toString();
  }

  /**
   * Runs the uploaded jar's main with these arguments, restored from {@code savepoint} when given;
   * returns the job's id. A refusal (the main threw) carries the cluster's reason.
   */
  public String run(String jarId, String entryClass, List<String> args, Optional<Path> savepoint)
      throws IOException {
    ObjectNode request = JSON.createObjectNode();
    request.put("entryClass", entryClass);
    request.set("programArgsList", JSON.valueToTree(args));
    savepoint.ifPresent(path -> request.put("savepointPath", path.toString()));
    JsonNode answer =
        send(
            HttpRequest.newBuilder(base.resolve("jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString()))
                .timeout(RUN_TIMEOUT));
    return answer.path("jobid").asText();
  }

  /** Deletes an uploaded jar, so uploads do not pile up. */
  public void deleteJar(String jarId) throws IOException {
    send(HttpRequest.newBuilder(base.resolve("jars/" + jarId)).DELETE());
  }

  private JsonNode get(String path) throws IOException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  private JsonNode send(HttpRequest.Builder request) throws IOException {
    HttpResponse<String> answer;
    try {
      answer =
          HTTP.send(
              request.timeout(request.build().timeout().orElse(Duration.ofSeconds(5))).build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    JsonNode body =
        answer.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(answer.body());
    if (answer.statusCode() >= 300) {
      throw new FlinkRestException(answer.statusCode(), reason(body));
    }
    return body;
  }

  /**
   * The cluster's reason: the last "Caused by" of its first error (what the job's main threw), not
   * the whole server-side stack trace.
   */
  static String reason(JsonNode body) {
    String error = body.path("errors").path(0).asText("");
    String reason = error.lines().findFirst().orElse("");
    for (String line : error.lines().toList()) {
      if (line.startsWith("Caused by: ")) {
        reason = line.substring("Caused by: ".length());
      }
    }
    return reason;
  }

  /** The cluster answered, with a refusal. */
  public static final class FlinkRestException extends IOException {
    private final int status;

    FlinkRestException(int status, String reason) {
      super("Flink answered " + status + ": " + reason);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }
}

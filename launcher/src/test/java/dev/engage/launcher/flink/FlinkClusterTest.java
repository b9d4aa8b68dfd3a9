package dev.engage.launcher.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.launcher.config.SettingSources;
import dev.engage.launcher.config.StackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlinkClusterTest {
  @TempDir Path dir;

  private StackConfig config(Map<String, String> settings) {
    Map<String, String> flags = new java.util.HashMap<>(settings);
    flags.put("data-dir", dir.toString());
    flags.put("jobs.flink", "cluster");
    return StackConfig.from(new SettingSources().withFlags(flags));
  }

  @Test
  void everyTaskManagerHasSlotsForTheWholeJobSoOneCanCarryItWhenAnotherIsGone() throws Exception {
    StackConfig config =
        config(
            Map.of("jobs.parallelism", "3", "jobs.rest-port", "18082", "jobs.rpc-port", "16123"));

    Path conf = FlinkCluster.writeConfiguration(config);

    String yaml = Files.readString(conf.resolve("config.yaml"));
    assertThat(yaml)
        .contains("taskmanager.numberOfTaskSlots: 3\n")
        .contains("rest.port: 18082\n")
        .contains("jobmanager.rpc.port: 16123\n")
        .contains("state.backend.type: rocksdb\n")
        .contains(
            "execution.checkpointing.dir: " + FlinkCluster.checkpointDir(config).toUri() + "\n")
        .contains(
            "execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION\n");
  }

  @Test
  void theStackRunsAJobManagerThenEachTaskManager() {
    StackConfig config = config(Map.of("jobs.task-managers", "3"));

    assertThat(FlinkCluster.services(config))
        .extracting(s -> s.name())
        .containsExactly("flink-jm", "flink-tm-1", "flink-tm-2", "flink-tm-3");
    assertThat(FlinkCluster.allNames()).hasSize(1 + StackConfig.MAX_TASK_MANAGERS);
  }

  @Test
  void aRefusedSubmissionIsExplainedByWhatTheJobsMainThrew() throws Exception {
    String answer =
        "{\"errors\":[\"org.apache.flink.runtime.rest.handler.RestHandlerException: Could not"
            + " execute application.\\n\\tat org.apache.flink.X.y(X.java:1)\\nCaused by:"
            + " org.apache.flink.client.program.ProgramInvocationException: The main method caused"
            + " an error\\nCaused by: java.lang.IllegalStateException: Unknown option:"
            + " '--bogus'\\n\\tat dev.engage.jobs.ClusterJobMain.main(ClusterJobMain.java:25)\"]}";

    assertThat(FlinkRest.reason(new ObjectMapper().readTree(answer)))
        .isEqualTo("java.lang.IllegalStateException: Unknown option: '--bogus'");
  }
}

package dev.engage.schemas.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class JobTuningOptionsTest {
  @Command
  static final class Service {
    @Mixin JobTuningOptions tuning;
  }

  @Test
  void whatTheLauncherHandsDownIsWhatTheStreamJobsRunWith() {
    JobTuning tuning =
        new JobTuning(
            Duration.ofSeconds(3),
            4,
            Duration.ofSeconds(2),
            Duration.ofMinutes(1),
            Duration.ZERO,
            Duration.ofDays(30));

    assertThat(parse(JobTuningOptions.flags(tuning).toArray(String[]::new))).isEqualTo(tuning);
  }

  @Test
  void withoutOptionsTheJobsRunOnTheDocumentedDefaults() {
    assertThat(parse()).isEqualTo(JobTuning.defaults());
  }

  @Test
  void everyBadValueIsNamedByItsSetting() {
    assertThatThrownBy(() -> parse("--idle-after", "PT-1S", "--profile-ttl", "PT0S"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "jobs.idle-after must be above 0, not PT-1S; jobs.profile-ttl must be above 0, not"
                + " PT0S");
  }

  private static JobTuning parse(String... args) {
    Service service = new Service();
    new CommandLine(service).parseArgs(args);
    return service.tuning.settings();
  }
}

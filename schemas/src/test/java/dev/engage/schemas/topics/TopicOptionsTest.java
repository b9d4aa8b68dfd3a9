package dev.engage.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class TopicOptionsTest {
  @Command
  static final class Service {
    @Mixin TopicOptions topics;
  }

  @Test
  void whatTheLauncherHandsDownIsWhatTheServiceBuildsItsCatalogFrom() {
    Map<String, String> renamed = new HashMap<>();
    TopicCatalog.ids().forEach(id -> renamed.put(id, "x." + id));
    TopicSettings settings = new TopicSettings(6, (short) 3, renamed, Map.of("rules", 1));

    TopicSettings received = parse(TopicOptions.flags(settings).toArray(String[]::new));

    assertThat(received).isEqualTo(settings);
    assertThat(new TopicCatalog(received, null).all())
        .allSatisfy(topic -> assertThat(topic.name()).isEqualTo("x." + topic.id()));
  }

  @Test
  void withoutOptionsEveryTopicHasItsDefaultName() {
    assertThat(parse()).isEqualTo(TopicSettings.local());
  }

  @Test
  void anUnknownTopicIsRefusedNamingIt() {
    assertThatThrownBy(() -> parse("--topic-name", "trigers=x.triggers"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown topic 'trigers'");
  }

  @Test
  void twoTopicsOnOneNameAreRefused() {
    assertThatThrownBy(() -> parse("--topic-name", "triggers=actions"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topics actions and triggers are both named 'actions'");
  }

  private static TopicSettings parse(String... args) {
    Service service = new Service();
    new CommandLine(service).parseArgs(args);
    return service.topics.settings();
  }
}

package dev.engage.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicCatalogTest {

  @Test
  void configuredNamesAndPartitionsOverrideTheDefaults() {
    TopicSettings settings =
        new TopicSettings(
            6, (short) 1, Map.of("touchpoints", "prod.touchpoints"), Map.of("rules", 1));
    TopicCatalog catalog = new TopicCatalog(settings, null);

    assertThat(catalog.touchpoints().name()).isEqualTo("prod.touchpoints");
    assertThat(catalog.touchpoints().id()).isEqualTo("touchpoints");
    assertThat(catalog.touchpoints().partitions()).isEqualTo(6);
    assertThat(catalog.rules().partitions()).isEqualTo(1);
  }

  @Test
  void zeroPartitionsIsRefusedNamingTheTopic() {
    assertThatThrownBy(() -> new TopicSettings(4, (short) 1, Map.of(), Map.of("rules", 0)))
        .hasMessageContaining("partitions of topic rules must be >= 1");
  }
}

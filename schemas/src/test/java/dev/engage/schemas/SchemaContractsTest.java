package dev.engage.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import dev.engage.schemas.topics.TopicSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The contracts are documented and every Avro topic of DESIGN.md has a generated type. */
class SchemaContractsTest {
  private final TopicCatalog catalog = new TopicCatalog(TopicSettings.local(), null);

  @Test
  void everyRecordEnumAndFieldReachableFromATopicHasADoc() {
    List<String> undocumented = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Topic<?, ?> topic : catalog.all()) {
      if (SpecificRecord.class.isAssignableFrom(topic.valueType())) {
        collectUndocumented(SpecificData.get().getSchema(topic.valueType()), seen, undocumented);
      }
    }
    assertThat(seen).hasSizeGreaterThan(20);
    assertThat(undocumented).isEmpty();
  }

  @Test
  void catalogHoldsEveryTopicOfTheDesignWithItsCleanupPolicy() {
    assertThat(catalog.all())
        .extracting(t -> t.name() + ":" + t.cleanup().kafkaName())
        .containsExactlyInAnyOrder(
            "touchpoints.raw:delete",
            "touchpoints:delete",
            "touchpoints.dlq:delete",
            "identity.links:compact",
            "identity.merges:delete",
            "flight.status:delete",
            "bookings:compact",
            "rules:compact",
            "rules.history:delete",
            "profiles:compact",
            "triggers:delete",
            "actions:compact",
            "notifications:delete",
            "responses:delete",
            "decisions:delete",
            "propensities:compact",
            "erasure:compact",
            "profile.transfers:delete",
            "contacts:compact",
            "notifications.dlq:delete",
            "jobs.dlq:delete",
            "attributions:delete");
  }

  @Test
  void ruleHistoryIsKeptForGood() {
    assertThat(catalog.rulesHistory().cleanup().configs())
        .containsEntry("cleanup.policy", "delete")
        .containsEntry("retention.ms", "-1");
  }

  private static void collectUndocumented(
      Schema schema, Set<String> seen, List<String> undocumented) {
    switch (schema.getType()) {
      case RECORD -> {
        if (!seen.add(schema.getFullName())) {
          return;
        }
        if (isBlank(schema.getDoc())) {
          undocumented.add(schema.getFullName());
        }
        for (Schema.Field field : schema.getFields()) {
          if (isBlank(field.doc())) {
            undocumented.add(schema.getFullName() + "." + field.name());
          }
          collectUndocumented(field.schema(), seen, undocumented);
        }
      }
      case ENUM -> {
        if (seen.add(schema.getFullName()) && isBlank(schema.getDoc())) {
          undocumented.add(schema.getFullName());
        }
      }
      case ARRAY -> collectUndocumented(schema.getElementType(), seen, undocumented);
      case MAP -> collectUndocumented(schema.getValueType(), seen, undocumented);
      case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, seen, undocumented));
      default -> {}
    }
  }

  private static boolean isBlank(String doc) {
    return doc == null || doc.isBlank();
  }
}

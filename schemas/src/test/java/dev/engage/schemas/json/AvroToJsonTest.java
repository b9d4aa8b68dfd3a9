package dev.engage.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.LeadScore;
import dev.engage.avro.Preferences;
import dev.engage.avro.ScoreFactor;
import dev.engage.avro.TimelineEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvroToJsonTest {
  private static final Instant AT = Instant.parse("2026-11-23T09:15:00Z");

  private static CustomerProfile profile() {
    return CustomerProfile.newBuilder()
        .setCustomerId("c-1")
        .setVersion(7)
        .setFirstSeen(AT)
        .setLastSeen(AT.plusSeconds(60))
        .setUpdatedAt(AT.plusSeconds(61))
        .setCountsByChannel(Map.of("web", 3L, "pos", 1L))
        .setPreferences(Preferences.newBuilder().setConsentEmail(true).build())
        .setLeadScore(
            new LeadScore(42, "lead-score", 2, List.of(new ScoreFactor("purchase on web", 30.5))))
        .setTimeline(
            List.of(new TimelineEntry("e-1", "purchase", "web", AT, 59.9, "EUR", "2 items")))
        .build();
  }

  @Test
  void writesPlainJsonWithoutUnionWrappers() {
    var json = AvroToJson.write(profile());

    assertThat(json.get("lastSeen").asText()).isEqualTo("2026-11-23T09:16:00Z");
    assertThat(json.get("countsByChannel").toString()).isEqualTo("{\"pos\":1,\"web\":3}");
    assertThat(json.get("leadScore").get("factors").get(0).get("points").asDouble())
        .isEqualTo(30.5);
    assertThat(json.get("rfm").isNull()).isTrue();
    assertThat(json.get("preferences").get("consentEmail").asBoolean()).isTrue();
    assertThat(json.get("timeline").get(0).get("amount").asDouble()).isEqualTo(59.9);
  }

  @Test
  void readsBackIntoTheSameRecord() {
    CustomerProfile profile = profile();

    assertThat(JsonToAvro.read(AvroToJson.write(profile), CustomerProfile.class))
        .isEqualTo(profile);
  }
}

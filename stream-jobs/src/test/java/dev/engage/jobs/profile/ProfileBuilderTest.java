package dev.engage.jobs.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.LineItem;
import dev.engage.avro.ProfileState;
import dev.engage.avro.Touchpoint;
import dev.engage.avro.WindowTotals;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** The profile fold alone: counts, windows rolling off in event time, value, cases, channel. */
class ProfileBuilderTest {
  private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");

  private final ProfileState state = ProfileBuilder.newState("ann", T0);

  @Test
  void countsWindowsAndCategoriesFollowEventTime() {
    apply(event("page_view", "web", 0));
    apply(purchase(10, 40.0, item("baby", 2), item("wine", 1)));
    apply(event("app_open", "app", 20));

    CustomerProfile profile = state.getProfile();
    assertThat(profile.getVersion()).isEqualTo(3);
    assertThat(profile.getCountsByChannel()).containsEntry("web", 1L).containsEntry("pos", 1L);
    assertThat(profile.getCountsByType()).containsEntry("purchase", 1L);
    assertThat(totals("1h")).isEqualTo(new WindowTotals(3L, 1L, 40.0));
    assertThat(profile.getCategories30d()).containsEntry("baby", 2L).containsEntry("wine", 1L);
    assertThat(profile.getHistoricValue()).isEqualTo(40.0);

    // two hours later the first hour has rolled off the 1h window, not the 24h one
    apply(event("page_view", "web", 140));
    assertThat(totals("1h")).isEqualTo(new WindowTotals(1L, 0L, 0.0));
    assertThat(totals("24h")).isEqualTo(new WindowTotals(4L, 1L, 40.0));

    // 31 days later only the new event is in any window; lifetime figures stay
    apply(event("page_view", "web", 31 * 24 * 60));
    assertThat(totals("30d")).isEqualTo(new WindowTotals(1L, 0L, 0.0));
    assertThat(state.getProfile().getCategories30d()).isEmpty();
    assertThat(state.getProfile().getCategories()).containsEntry("baby", 2L);
    assertThat(state.getProfile().getCountsByChannel()).containsEntry("web", 3L);
    assertThat(state.getMinutes()).hasSize(1);
    assertThat(state.getDays()).hasSize(1);
  }

  @Test
  void valueScoresFollowPurchasesAndDecayWithRecency() {
    for (int i = 0; i < 5; i++) {
      apply(purchase(i * 60 * 24, 100.0));
    }
    assertThat(state.getProfile().getRfm().getFrequency()).isEqualTo(3);
    assertThat(state.getProfile().getRfm().getMonetary()).isEqualTo(3);
    assertThat(state.getProfile().getRfm().getRecency()).isEqualTo(5);
    double fresh = state.getProfile().getPredictedValue12m();
    assertThat(fresh).isEqualTo(500.0);

    apply(event("page_view", "web", 100 * 24 * 60)); // 96 days without buying
    assertThat(state.getProfile().getRfm().getRecency()).isEqualTo(2);
    assertThat(state.getProfile().getPredictedValue12m()).isLessThan(fresh);
  }

  @Test
  void callCenterCasesOpenAndCloseAndTheChannelIsLearned() {
    apply(call("call_started", 0, Map.of("callId", "c1", "reason", "refund")));
    apply(call("call_started", 5, Map.of("callId", "c2", "reason", "baggage")));
    apply(call("call_ended", 10, Map.of("callId", "c1", "outcome", "resolved")));
    apply(call("call_ended", 15, Map.of("callId", "c2", "outcome", "callback")));

    assertThat(state.getProfile().getOpenCases())
        .extracting(c -> c.getCaseId() + " " + c.getReason())
        .containsExactly("c2 baggage");
    assertThat(state.getProfile().getLearnedPreferredChannel()).isEqualTo("call_center");
  }

  @Test
  void refusingMarketingCookiesOnAnyPageWithdrawsConsentAndAcceptingGrantsNone() {
    apply(
        withAttributes(
            event("identify", "web", 0), Map.of("consent_email", "true", "consent_sms", "yes")));
    assertThat(state.getProfile().getPreferences().getConsentEmail()).isTrue();

    apply(withAttributes(event("page_view", "web", 5), Map.of("consent_marketing", "false")));
    assertThat(state.getProfile().getPreferences())
        .satisfies(
            p -> {
              assertThat(p.getConsentEmail()).isFalse();
              assertThat(p.getConsentSms()).isFalse();
              assertThat(p.getConsentPush()).isFalse();
            });

    apply(withAttributes(event("page_view", "web", 10), Map.of("consent_marketing", "true")));
    assertThat(state.getProfile().getPreferences().getConsentEmail())
        .as("accepting cookies is no opt-in to messages")
        .isFalse();
    apply(
        withAttributes(
            event("identify", "web", 15),
            Map.of("consent_email", "true", "consent_marketing", "false")));
    assertThat(state.getProfile().getPreferences().getConsentEmail())
        .as("the banner's refusal outweighs a consent among the same identify's traits")
        .isFalse();
  }

  @Test
  void aLateEventCountsInItsOwnBucket() {
    apply(event("page_view", "web", 120));
    apply(event("page_view", "web", 90)); // arrives after, happened before
    assertThat(state.getProfile().getLastSeen()).isEqualTo(T0.plus(Duration.ofMinutes(120)));
    assertThat(state.getMinutes()).extracting(b -> b.getStart()).isSorted().hasSize(2);
    assertThat(totals("1h").getEvents()).isEqualTo(2);
  }

  @Test
  void aStateReadBackFromRocksDbRollsItsWindowsOn() throws Exception {
    apply(event("page_view", "web", 0));
    apply(purchase(5, 20.0, item("baby", 1)));
    ProfileState restored = throughStateSerializer(state);
    ProfileBuilder.apply(restored, event("app_open", "app", (int) Duration.ofDays(31).toMinutes()));
    assertThat(restored.getMinutes()).hasSize(1);
    assertThat(restored.getDays()).hasSize(1);
    assertThat(restored.getProfile().getWindows().get("30d").getEvents()).isEqualTo(1);
    assertThat(restored.getProfile().getCountsByChannel())
        .containsOnly(Map.entry("web", 1L), Map.entry("pos", 1L), Map.entry("app", 1L));
  }

  /** The state as the RocksDB backend hands it back: serialized and read again. */
  private static ProfileState throughStateSerializer(ProfileState state) throws Exception {
    TypeSerializer<ProfileState> serializer =
        new AvroTypeInfo<>(ProfileState.class).createSerializer(new SerializerConfigImpl());
    return InstantiationUtil.deserializeFromByteArray(
        serializer, InstantiationUtil.serializeToByteArray(serializer, state));
  }

  private WindowTotals totals(String window) {
    return state.getProfile().getWindows().get(window);
  }

  private void apply(Touchpoint event) {
    ProfileBuilder.apply(state, event);
  }

  private static Touchpoint purchase(int minutes, double amount, LineItem... items) {
    Touchpoint event = event("purchase", "pos", minutes);
    event.setAmount(amount);
    event.setItems(List.of(items));
    return event;
  }

  private static Touchpoint call(String type, int minutes, Map<String, String> attributes) {
    Touchpoint event = event(type, "call_center", minutes);
    event.setAttributes(attributes);
    return event;
  }

  private static Touchpoint withAttributes(Touchpoint event, Map<String, String> attributes) {
    event.setAttributes(attributes);
    return event;
  }

  private static LineItem item(String category, int quantity) {
    return LineItem.newBuilder()
        .setSku(category + "-1")
        .setName(category)
        .setCategory(category)
        .setQuantity(quantity)
        .setUnitAmount(10.0)
        .build();
  }

  private static Touchpoint event(String type, String channel, int minutes) {
    Instant at = T0.plus(Duration.ofMinutes(minutes));
    return Touchpoint.newBuilder()
        .setEventId("ann-" + type + "-" + minutes)
        .setCustomerId("ann")
        .setType(type)
        .setChannel(channel)
        .setSource("test")
        .setOccurredAt(at)
        .setReceivedAt(at)
        .build();
  }
}

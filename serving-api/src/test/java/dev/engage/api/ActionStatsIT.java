package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.api.auth.Role;
import dev.engage.avro.PropensityCounts;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Action statistics read from the real propensities topic, as the decisions job writes it. */
class ActionStatsIT extends ApiOnSharedStack {
  private final String code = "STATS_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();

  @Test
  void perActionShownAcceptedRateWithItsIntervalTreatedVersusControl() throws Exception {
    send(counts("*", 30, 70));
    send(counts("*", 45, 105)); // newer absolute counts replace the older
    send(counts("~treated", 42, 98));
    send(counts("~control", 3, 7));
    send(counts("new-parents", 10, 10)); // a segment: for the estimates, not the stats

    JsonNode action =
        api.actionStats(
            code,
            a -> a.path("shown").asLong() == 150 && a.path("control").path("shown").asLong() > 0);

    assertThat(action.path("shown").asLong()).isEqualTo(150);
    assertThat(action.path("accepted").asLong()).isEqualTo(45);
    assertThat(action.path("rate").asDouble()).isEqualTo(0.3);
    // Wilson 95% interval of 45/150
    assertThat(action.path("interval").get(0).asDouble()).isCloseTo(0.2324, within(1e-4));
    assertThat(action.path("interval").get(1).asDouble()).isCloseTo(0.3776, within(1e-4));
    assertThat(action.path("treated").path("shown").asLong()).isEqualTo(140);
    assertThat(action.path("control").path("accepted").asLong()).isEqualTo(3);
    assertThat(api.get("/v1/actions/stats", Role.AGENT).statusCode()).isEqualTo(403);
  }

  private PropensityCounts counts(String segment, long successes, long failures) {
    return new PropensityCounts(code, segment, successes, failures, Instant.now());
  }

  private void send(PropensityCounts counts) throws Exception {
    api.write(
        api.topics.propensities(), Map.of(counts.getCode() + "|" + counts.getSegment(), counts));
  }
}

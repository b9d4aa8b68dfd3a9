package dev.engage.jobs.disruption;

import dev.engage.avro.FlightState;
import dev.engage.avro.FlightStatus;
import java.io.Serializable;
import java.util.List;

/**
 * How bad a flight status is for its passengers, as a level that only rises when they should hear
 * again: each delay band reached adds one (by default 30, 60, 120, 180, 240, 360, 480 and 720
 * minutes), a cancellation is the top level. A delay from 150 to 160 minutes stays in the
 * 120-minute band, so nobody is told twice about ten minutes; 150 to 185 minutes, or a
 * cancellation, is news.
 */
public final class DisruptionSeverity implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final List<Integer> DEFAULT_BANDS = List.of(30, 60, 120, 180, 240, 360, 480, 720);

  private final List<Integer> bandsInMinutes;

  public DisruptionSeverity(List<Integer> bandsInMinutes) {
    if (bandsInMinutes.isEmpty()) {
      throw new IllegalArgumentException("at least one delay band is needed");
    }
    for (int i = 1; i < bandsInMinutes.size(); i++) {
      if (bandsInMinutes.get(i) <= bandsInMinutes.get(i - 1)) {
        throw new IllegalArgumentException(
            "delay bands must rise, but " + bandsInMinutes + " does not");
      }
    }
    this.bandsInMinutes = List.copyOf(bandsInMinutes);
  }

  public static DisruptionSeverity defaults() {
    return new DisruptionSeverity(DEFAULT_BANDS);
  }

  /** 0 when the status is no disruption; higher is worse. */
  public int of(FlightStatus status) {
    if (status.getStatus() == FlightState.CANCELLED) {
      return bandsInMinutes.size() + 1;
    }
    int level = 0;
    for (int band : bandsInMinutes) {
      if (status.getDelayMinutes() >= band) {
        level++;
      }
    }
    return level;
  }
}

package dev.engage.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.avro.Booking;
import dev.engage.avro.FlightState;
import dev.engage.avro.FlightStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonToAvroTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void plainJsonBecomesAFlightStatusWithDefaultsForWhatIsLeftOut() throws Exception {
    FlightStatus status =
        JsonToAvro.read(
            JSON.readTree(
                """
                {"eventId": "e1", "status": "DELAYED", "delayMinutes": 150,
                 "flight": {"flightKey": "LH123/2026-11-23", "carrier": "LH", "flightNumber": "123",
                            "origin": "FRA", "destination": "JFK",
                            "scheduledDeparture": "2026-11-23T10:00:00+01:00",
                            "scheduledArrival": 1763913600000},
                 "occurredAt": "2026-11-23T08:30:00Z", "receivedAt": "2026-11-23T08:30:01Z"}
                """),
            FlightStatus.class);

    assertThat(status.getStatus()).isEqualTo(FlightState.DELAYED);
    assertThat(status.getDelayMinutes()).isEqualTo(150);
    assertThat(status.getFlight().getScheduledDeparture())
        .isEqualTo(Instant.parse("2026-11-23T09:00:00Z"));
    assertThat(status.getFlight().getScheduledArrival())
        .isEqualTo(Instant.ofEpochMilli(1763913600000L));
    assertThat(status.getFlight().getCabin()).isNull();
    assertThat(status.getReason()).isNull();
  }

  @Test
  void everyProblemIsReportedWithItsPath() throws Exception {
    assertThatThrownBy(
            () ->
                JsonToAvro.read(
                    JSON.readTree(
                        """
                        {"eventId": "b1", "bookingReference": "ABC123",
                         "passengers": [{"passengerId": "p1", "firstName": "Ann"}],
                         "segments": [], "occurredAt": "yesterday", "receivedAt": "2026-11-23T08:30:01Z",
                         "seat": "12A"}
                        """),
                    Booking.class))
        .isInstanceOfSatisfying(
            InvalidJsonException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "passengers[0].lastName: is required",
                        "occurredAt: must be an ISO-8601 date-time such as 2026-11-23T14:05:00Z",
                        "seat: is not a field of Booking"));
  }
}

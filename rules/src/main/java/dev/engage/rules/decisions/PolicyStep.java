package dev.engage.rules.decisions;

/**
 * One step the contact policy took with a notification, for the trace agents and marketers read.
 *
 * @param detail the specifics in words ("sms has no consent", "until 2026-12-03T06:00:00Z")
 */
public record PolicyStep(ReasonCode code, String detail) {
  @Override
  public String toString() {
    return code + ": " + detail;
  }
}

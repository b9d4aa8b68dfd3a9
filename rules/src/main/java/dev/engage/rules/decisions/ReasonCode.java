package dev.engage.rules.decisions;

/** Why the contact policy did what it did with a notification, one code per step it took. */
public enum ReasonCode {
  /** The action's ttl passed before it could be sent. */
  EXPIRED,
  /** The customer is in the control group: marketing is not sent (outcomes still recorded). */
  CONTROL_GROUP,
  /** The rule or offer already had a notification decided for the customer within its cooldown. */
  COOLDOWN,
  /** The customer dismissed this rule's or offer's action within its cooldown. */
  DISMISSED_WITHIN_COOLDOWN,
  /** Another rule firing on the same cause shortly before or after scored higher: one message. */
  SAME_CAUSE_BETTER_SCORED,
  /** The wanted channel lacks the customer's consent. */
  NO_CONSENT,
  /** {@code preferred}: the channel the customer declared. */
  PREFERRED_DECLARED,
  /** {@code preferred}: the channel the customer engages on most (nothing declared or allowed). */
  PREFERRED_LEARNED,
  /** The channel was the requested one. */
  REQUESTED_CHANNEL,
  /** The first consented channel of the fallback order. */
  FALLBACK,
  /** No channel with the customer's consent: nothing is sent. */
  NO_CONSENTED_CHANNEL,
  /** Within the customer's quiet hours: deferred to their end. */
  QUIET_HOURS,
  /** A transactional rule that may ignore quiet hours. */
  QUIET_HOURS_IGNORED,
  /** The ttl passes before the quiet hours end: dropped. */
  EXPIRES_IN_QUIET_HOURS,
  /** Transactional: frequency caps do not apply. */
  TRANSACTIONAL_UNCAPPED,
  /** The channel's daily cap is reached. */
  DAILY_CAP_REACHED,
  /** The weekly cap across channels is reached. */
  WEEKLY_CAP_REACHED,
  /** Capped: waits for the next free slot. */
  WAITS_FOR_FREE_SLOT,
  /** Capped, and the ttl passes before the next free slot: dropped. */
  EXPIRES_BEFORE_FREE_SLOT,
  /** Decided for sending: a notification goes to the outbox. */
  SENT
}

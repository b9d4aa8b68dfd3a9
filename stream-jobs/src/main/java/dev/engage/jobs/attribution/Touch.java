package dev.engage.jobs.attribution;

import java.time.Instant;

/**
 * One touch before a conversion, as attribution credits it: a touchpoint of the customer or a
 * notification sent to them.
 *
 * @param id the touchpoint's event id or the notification's id
 * @param kind {@code touchpoint} or {@code notification}
 * @param at when it happened (event time)
 * @param channel where it happened (web, app, email, sms...)
 * @param campaign the rule or offer behind a notification, or a touchpoint's campaign attribute;
 *     null when none
 */
public record Touch(String id, String kind, Instant at, String channel, String campaign) {
  public static final String TOUCHPOINT = "touchpoint";
  public static final String NOTIFICATION = "notification";
}

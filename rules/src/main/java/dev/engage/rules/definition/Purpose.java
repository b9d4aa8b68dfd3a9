package dev.engage.rules.definition;

import java.util.Locale;

/**
 * Why a rule or an offer contacts a customer. A transactional message (a cancelled flight, a
 * payment due) skips frequency caps and the control group; a marketing one (the default) does not.
 * Neither is ever sent without consent.
 */
public enum Purpose {
  MARKETING,
  TRANSACTIONAL;

  /** As written in a definition and on the {@code Notification}: marketing or transactional. */
  public String written() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package dev.engage.rules.definition;

import dev.engage.rules.cel.Condition;
import dev.engage.rules.cel.Expression;
import java.time.Duration;
import java.util.List;

/** When a rule fires: one of the seven kinds of DESIGN.md, with compiled conditions. */
public sealed interface Trigger {
  String kind();

  /** A condition on one touchpoint (and the profile). */
  record OnEvent(Condition condition) implements Trigger {
    public String kind() {
      return "event";
    }
  }

  /** At least {@code atLeast} matching events within a sliding window. */
  record Count(Condition match, int atLeast, Duration within) implements Trigger {
    public String kind() {
      return "count";
    }
  }

  /** Events matching each step, within a time span, in order when {@code ordered}. */
  record Sequence(List<Condition> steps, Duration within, boolean ordered) implements Trigger {
    public String kind() {
      return "sequence";
    }
  }

  /** An event matching {@code first} not followed by one matching {@code not} within a span. */
  record Absence(Condition first, Condition not, Duration within) implements Trigger {
    public String kind() {
      return "absence";
    }
  }

  /**
   * Nothing matching {@code not} before the time {@code due} (read from the first event) minus
   * {@code before}.
   */
  record Deadline(Condition first, Condition not, Expression due, Duration before)
      implements Trigger {
    public String kind() {
      return "deadline";
    }
  }

  /** A profile value crossing a bound, upwards when {@code above}. */
  record Threshold(Expression value, double bound, boolean above) implements Trigger {
    public String kind() {
      return "threshold";
    }
  }

  /** The customer entering (or leaving) a segment. */
  record SegmentChange(String segment, boolean entering) implements Trigger {
    public String kind() {
      return "segment";
    }
  }
}

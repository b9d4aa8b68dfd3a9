package dev.engage.rulesbench;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.parser.Operator;
import dev.engage.rules.cel.Condition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Translates an event condition's CEL tree into the constraint of a DRL pattern on {@code
 * Touchpoint} that holds for exactly the same touchpoints, or says it has none. What translates:
 * {@code &&} and {@code ||} of equalities of a string field ({@code event.type}, {@code channel},
 * {@code source}, {@code status}, {@code currency}, an {@code event.attributes} entry) with a
 * string, and comparisons of {@code event.amount} with a double or {@code event.delayMinutes} with
 * an integer.
 *
 * <p>Both sides agree on missing data: CEL fails on a missing attribute or an absent amount and a
 * failed condition does not hold; in DRL the attribute is {@code null}, which equals no string, and
 * a comparison with a {@code null} number is false. Negations and {@code !=} are refused, since
 * there the two part ways ({@code null != 'x'} holds in DRL, the CEL condition fails).
 */
final class DrlConstraint {
  private static final Set<String> STRING_FIELDS =
      Set.of("type", "channel", "source", "status", "currency");
  private static final Map<String, String> COMPARISONS =
      Map.of(
          Operator.EQUALS.getFunction(), "==",
          Operator.LESS.getFunction(), "<",
          Operator.LESS_EQUALS.getFunction(), "<=",
          Operator.GREATER.getFunction(), ">",
          Operator.GREATER_EQUALS.getFunction(), ">=");

  private DrlConstraint() {}

  /** The DRL constraint of the condition, when it has a faithful one. */
  static Optional<String> of(Condition condition) {
    return translate(condition.checked());
  }

  private static Optional<String> translate(CelExpr expr) {
    if (expr.getKind() != CelExpr.ExprKind.Kind.CALL || expr.call().target().isPresent()) {
      return Optional.empty();
    }
    String function = expr.call().function();
    List<CelExpr> args = expr.call().args();
    if (function.equals(Operator.LOGICAL_AND.getFunction())) {
      return join(args, " && ");
    }
    if (function.equals(Operator.LOGICAL_OR.getFunction())) {
      return join(args, " || ");
    }
    String comparison = COMPARISONS.get(function);
    if (comparison == null || args.size() != 2) {
      return Optional.empty();
    }
    return comparison(args.get(0), comparison, args.get(1));
  }

  private static Optional<String> join(List<CelExpr> args, String operator) {
    StringBuilder drl = new StringBuilder("(");
    for (CelExpr arg : args) {
      Optional<String> part = translate(arg);
      if (part.isEmpty()) {
        return Optional.empty();
      }
      drl.append(drl.length() > 1 ? operator : "").append(part.get());
    }
    return Optional.of(drl.append(')').toString());
  }

  /** {@code FIELD OP CONSTANT}; the CEL checker has already matched the two sides' types. */
  private static Optional<String> comparison(CelExpr field, String operator, CelExpr constant) {
    if (constant.getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
      return Optional.empty();
    }
    CelConstant value = constant.constant();
    if (value.getKind() == CelConstant.Kind.STRING_VALUE && operator.equals("==")) {
      return stringField(field).map(f -> f + " == " + quoted(value.stringValue()));
    }
    if (value.getKind() == CelConstant.Kind.DOUBLE_VALUE && isEventField(field, "amount")) {
      return Optional.of("amount " + operator + " " + value.doubleValue());
    }
    if (value.getKind() == CelConstant.Kind.INT64_VALUE && isEventField(field, "delayMinutes")) {
      return Optional.of("delayMinutes " + operator + " " + value.int64Value());
    }
    return Optional.empty();
  }

  /**
   * {@code event.type} and its like, {@code event.attributes.K} or {@code event.attributes['K']}.
   */
  private static Optional<String> stringField(CelExpr expr) {
    if (expr.getKind() == CelExpr.ExprKind.Kind.SELECT && !expr.select().testOnly()) {
      String name = expr.select().field();
      if (isEvent(expr.select().operand()) && STRING_FIELDS.contains(name)) {
        return Optional.of(name);
      }
      if (isEventField(expr.select().operand(), "attributes")) {
        return Optional.of("attributes[" + quoted(name) + "]");
      }
    }
    if (expr.getKind() == CelExpr.ExprKind.Kind.CALL
        && expr.call().function().equals(Operator.INDEX.getFunction())
        && isEventField(expr.call().args().get(0), "attributes")
        && expr.call().args().get(1).getKind() == CelExpr.ExprKind.Kind.CONSTANT
        && expr.call().args().get(1).constant().getKind() == CelConstant.Kind.STRING_VALUE) {
      return Optional.of(
          "attributes[" + quoted(expr.call().args().get(1).constant().stringValue()) + "]");
    }
    return Optional.empty();
  }

  private static boolean isEventField(CelExpr expr, String name) {
    return expr.getKind() == CelExpr.ExprKind.Kind.SELECT
        && !expr.select().testOnly()
        && expr.select().field().equals(name)
        && isEvent(expr.select().operand());
  }

  private static boolean isEvent(CelExpr expr) {
    return expr.getKind() == CelExpr.ExprKind.Kind.IDENT && expr.ident().name().equals("event");
  }

  private static String quoted(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}

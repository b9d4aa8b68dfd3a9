package dev.engage.rules.index;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.parser.Operator;
import dev.engage.rules.cel.Condition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads from a condition's type-checked syntax tree the {@link Requirement}s it cannot hold
 * without: an equality of a string field ({@link LookupKey#FIELDS} or an {@code event.attributes}
 * entry) with a string, an {@code in} list of strings, a disjunction of such keys on one field, a
 * comparison of {@code event.amount} with a double or of {@code event.delayMinutes} with an
 * integer, and every conjunct of a conjunction ({@code &&} is false when one side is false, and an
 * error makes the condition false too, whatever the other side gives). Anything else (negations,
 * other disjunctions, functions, macros) requires nothing that can be read off the tree.
 */
final class ConditionRequirements {
  private static final Map<String, NumericBound.Comparison> COMPARISONS =
      Map.of(
          Operator.LESS.getFunction(), NumericBound.Comparison.LESS,
          Operator.LESS_EQUALS.getFunction(), NumericBound.Comparison.LESS_OR_EQUAL,
          Operator.GREATER.getFunction(), NumericBound.Comparison.GREATER,
          Operator.GREATER_EQUALS.getFunction(), NumericBound.Comparison.GREATER_OR_EQUAL,
          Operator.EQUALS.getFunction(), NumericBound.Comparison.EQUAL);

  private ConditionRequirements() {}

  /** Every requirement found; empty when the condition gives none. */
  static List<Requirement> of(Condition condition) {
    List<Requirement> requirements = new ArrayList<>();
    keys(condition.checked())
        .forEach((field, values) -> requirements.add(new LookupKey(field, values)));
    bounds(condition.checked(), requirements);
    return requirements;
  }

  /**
   * Whether meeting the requirements is all the condition asks: a conjunction (or one term) of
   * string equalities, {@code in} lists, disjunctions of those on one field and numeric bounds,
   * nothing else. Such a condition holds exactly when the event meets its requirements (each term
   * reads a field that is there, so CEL has no error to give), and needs no CEL evaluation.
   */
  static boolean decidedByRequirements(Condition condition) {
    return isDecided(condition.checked());
  }

  private static boolean isDecided(CelExpr expr) {
    if (isCall(expr, Operator.LOGICAL_AND)) {
      return expr.call().args().stream().allMatch(ConditionRequirements::isDecided);
    }
    return keyField(expr).isPresent() || bound(expr).isPresent();
  }

  /**
   * The one string field an equality, an {@code in} list or a disjunction of those on that same
   * field names; empty for anything else.
   */
  private static Optional<String> keyField(CelExpr expr) {
    if (isCall(expr, Operator.LOGICAL_OR)) {
      Set<String> fields = new HashSet<>();
      for (CelExpr arg : expr.call().args()) {
        Optional<String> field = keyField(arg);
        if (field.isEmpty()) {
          return Optional.empty();
        }
        fields.add(field.get());
      }
      return fields.size() == 1 ? Optional.of(fields.iterator().next()) : Optional.empty();
    }
    if (isCall(expr, Operator.EQUALS) || isCall(expr, Operator.IN)) {
      Set<String> fields = keys(expr).keySet();
      return fields.size() == 1 ? Optional.of(fields.iterator().next()) : Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * The values each string field must have: from an equality or an {@code in} list; from every
   * conjunct of a conjunction (a field named twice must have a value both allow); from a
   * disjunction, the fields every disjunct names, with the values of any.
   */
  private static Map<String, Set<String>> keys(CelExpr expr) {
    Map<String, Set<String>> keys = new HashMap<>();
    if (isCall(expr, Operator.LOGICAL_AND)) {
      for (CelExpr arg : expr.call().args()) {
        keys(arg)
            .forEach((field, values) -> keys.merge(field, values, ConditionRequirements::both));
      }
    } else if (isCall(expr, Operator.LOGICAL_OR)) {
      List<Map<String, Set<String>>> disjuncts =
          expr.call().args().stream().map(ConditionRequirements::keys).toList();
      disjuncts.get(0).keySet().stream()
          .filter(field -> disjuncts.stream().allMatch(d -> d.containsKey(field)))
          .forEach(field -> keys.put(field, any(disjuncts, field)));
    } else if (isCall(expr, Operator.EQUALS)) {
      List<CelExpr> args = expr.call().args();
      equality(args.get(0), args.get(1))
          .or(() -> equality(args.get(1), args.get(0)))
          .ifPresent(key -> keys.put(key.field().name(), key.values()));
    } else if (isCall(expr, Operator.IN)) {
      List<CelExpr> args = expr.call().args();
      field(args.get(0))
          .ifPresent(field -> strings(args.get(1)).ifPresent(values -> keys.put(field, values)));
    }
    return keys;
  }

  /** The numeric bounds of the conjuncts. */
  private static void bounds(CelExpr expr, List<Requirement> requirements) {
    if (isCall(expr, Operator.LOGICAL_AND)) {
      expr.call().args().forEach(arg -> bounds(arg, requirements));
    } else {
      bound(expr).ifPresent(requirements::add);
    }
  }

  private static Set<String> both(Set<String> these, Set<String> those) {
    Set<String> values = new HashSet<>(these);
    values.retainAll(those);
    return Set.copyOf(values);
  }

  private static Set<String> any(List<Map<String, Set<String>>> disjuncts, String field) {
    Set<String> values = new HashSet<>();
    disjuncts.forEach(d -> values.addAll(d.get(field)));
    return Set.copyOf(values);
  }

  private static Optional<LookupKey> equality(CelExpr field, CelExpr value) {
    return field(field).flatMap(f -> string(value).map(v -> new LookupKey(f, Set.of(v))));
  }

  /** {@code event.amount OP 1.0} or {@code event.delayMinutes OP 1}, either side first. */
  private static Optional<Requirement> bound(CelExpr expr) {
    if (expr.getKind() != CelExpr.ExprKind.Kind.CALL
        || expr.call().target().isPresent()
        || expr.call().args().size() != 2) {
      return Optional.empty();
    }
    NumericBound.Comparison comparison = COMPARISONS.get(expr.call().function());
    if (comparison == null) {
      return Optional.empty();
    }
    CelExpr left = expr.call().args().get(0);
    CelExpr right = expr.call().args().get(1);
    return bound(left, comparison, right).or(() -> bound(right, comparison.mirrored(), left));
  }

  private static Optional<Requirement> bound(
      CelExpr field, NumericBound.Comparison comparison, CelExpr constant) {
    if (!isEventField(field) || constant.getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
      return Optional.empty();
    }
    String name = field.select().field();
    CelConstant value = constant.constant();
    if (name.equals(NumericBound.AMOUNT) && value.getKind() == CelConstant.Kind.DOUBLE_VALUE) {
      return Optional.of(new NumericBound(name, comparison, value.doubleValue()));
    }
    if (name.equals(NumericBound.DELAY_MINUTES)
        && value.getKind() == CelConstant.Kind.INT64_VALUE) {
      return Optional.of(new NumericBound(name, comparison, value.int64Value()));
    }
    return Optional.empty();
  }

  /**
   * {@code event.type|channel|source|status|currency}, {@code event.attributes.K} or {@code
   * event.attributes['K']}.
   */
  private static Optional<String> field(CelExpr expr) {
    if (isEventField(expr) && LookupKey.FIELDS.contains(expr.select().field())) {
      return Optional.of(expr.select().field());
    }
    if (expr.getKind() == CelExpr.ExprKind.Kind.SELECT
        && !expr.select().testOnly()
        && isAttributes(expr.select().operand())) {
      return Optional.of(LookupKey.ATTRIBUTES + expr.select().field());
    }
    if (isCall(expr, Operator.INDEX) && isAttributes(expr.call().args().get(0))) {
      return string(expr.call().args().get(1)).map(key -> LookupKey.ATTRIBUTES + key);
    }
    return Optional.empty();
  }

  private static boolean isCall(CelExpr expr, Operator operator) {
    return expr.getKind() == CelExpr.ExprKind.Kind.CALL
        && expr.call().target().isEmpty()
        && expr.call().function().equals(operator.getFunction())
        && (operator == Operator.LOGICAL_AND
            || operator == Operator.LOGICAL_OR
            || expr.call().args().size() == 2);
  }

  /** {@code event.NAME}, not a {@code has()} test. */
  private static boolean isEventField(CelExpr expr) {
    return expr.getKind() == CelExpr.ExprKind.Kind.SELECT
        && !expr.select().testOnly()
        && expr.select().operand().getKind() == CelExpr.ExprKind.Kind.IDENT
        && expr.select().operand().ident().name().equals("event");
  }

  private static boolean isAttributes(CelExpr expr) {
    return isEventField(expr) && expr.select().field().equals("attributes");
  }

  private static Optional<String> string(CelExpr expr) {
    return expr.getKind() == CelExpr.ExprKind.Kind.CONSTANT
            && expr.constant().getKind() == CelConstant.Kind.STRING_VALUE
        ? Optional.of(expr.constant().stringValue())
        : Optional.empty();
  }

  private static Optional<Set<String>> strings(CelExpr expr) {
    if (expr.getKind() != CelExpr.ExprKind.Kind.LIST || expr.list().elements().isEmpty()) {
      return Optional.empty();
    }
    Set<String> values = new HashSet<>();
    for (CelExpr element : expr.list().elements()) {
      Optional<String> value = string(element);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      values.add(value.get());
    }
    return Optional.of(Set.copyOf(values));
  }
}

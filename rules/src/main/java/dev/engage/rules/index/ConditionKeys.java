package dev.engage.rules.index;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.parser.Operator;
import dev.engage.rules.cel.Condition;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads from a condition's type-checked syntax tree a {@link LookupKey} the condition cannot hold
 * without: an equality of {@code event.type}, {@code event.channel}, {@code event.source} or an
 * {@code event.attributes} entry with a string, an {@code in} list of strings, a conjunct of either
 * ({@code &&} is false when one side is false, whatever the other gives), or a disjunction of keys
 * on the same field. Anything else (negations, comparisons, functions, macros) gives no key, and
 * the rule is scanned for every event.
 */
final class ConditionKeys {
  private ConditionKeys() {}

  static Optional<LookupKey> of(Condition condition) {
    return of(condition.checked());
  }

  private static Optional<LookupKey> of(CelExpr expr) {
    if (expr.getKind() != CelExpr.ExprKind.Kind.CALL || expr.call().target().isPresent()) {
      return Optional.empty();
    }
    String function = expr.call().function();
    List<CelExpr> args = expr.call().args();
    if (function.equals(Operator.LOGICAL_AND.getFunction())) {
      return args.stream()
          .map(ConditionKeys::of)
          .flatMap(Optional::stream)
          .min(LookupKey.MOST_SELECTIVE_FIRST);
    }
    if (function.equals(Operator.LOGICAL_OR.getFunction())) {
      return sameField(args.stream().map(ConditionKeys::of).toList());
    }
    if (function.equals(Operator.EQUALS.getFunction()) && args.size() == 2) {
      Optional<LookupKey> key = equality(args.get(0), args.get(1));
      return key.isPresent() ? key : equality(args.get(1), args.get(0));
    }
    if (function.equals(Operator.IN.getFunction()) && args.size() == 2) {
      return field(args.get(0)).flatMap(f -> strings(args.get(1)).map(v -> new LookupKey(f, v)));
    }
    return Optional.empty();
  }

  private static Optional<LookupKey> equality(CelExpr field, CelExpr value) {
    return field(field).flatMap(f -> string(value).map(v -> new LookupKey(f, Set.of(v))));
  }

  /** Every disjunct has a key on one and the same field: that field, with all their values. */
  private static Optional<LookupKey> sameField(List<Optional<LookupKey>> keys) {
    if (keys.isEmpty() || keys.stream().anyMatch(Optional::isEmpty)) {
      return Optional.empty();
    }
    String field = keys.get(0).get().field();
    if (keys.stream().anyMatch(k -> !k.get().field().equals(field))) {
      return Optional.empty();
    }
    Set<String> values = new HashSet<>();
    keys.forEach(k -> values.addAll(k.get().values()));
    return Optional.of(new LookupKey(field, Set.copyOf(values)));
  }

  /**
   * {@code event.type|channel|source}, {@code event.attributes.K} or {@code event.attributes['K']}.
   */
  private static Optional<String> field(CelExpr expr) {
    if (expr.getKind() == CelExpr.ExprKind.Kind.SELECT && !expr.select().testOnly()) {
      String name = expr.select().field();
      CelExpr operand = expr.select().operand();
      if (isEvent(operand) && Stream.of("type", "channel", "source").anyMatch(name::equals)) {
        return Optional.of(name);
      }
      if (isAttributes(operand)) {
        return Optional.of(LookupKey.ATTRIBUTES + name);
      }
    }
    if (expr.getKind() == CelExpr.ExprKind.Kind.CALL
        && expr.call().function().equals(Operator.INDEX.getFunction())
        && expr.call().args().size() == 2
        && isAttributes(expr.call().args().get(0))) {
      return string(expr.call().args().get(1)).map(key -> LookupKey.ATTRIBUTES + key);
    }
    return Optional.empty();
  }

  private static boolean isEvent(CelExpr expr) {
    return expr.getKind() == CelExpr.ExprKind.Kind.IDENT && expr.ident().name().equals("event");
  }

  private static boolean isAttributes(CelExpr expr) {
    return expr.getKind() == CelExpr.ExprKind.Kind.SELECT
        && !expr.select().testOnly()
        && expr.select().field().equals("attributes")
        && isEvent(expr.select().operand());
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

package dev.engage.rules.definition;

import java.time.Instant;
import java.util.Set;

/** Reads the fields of a value model ({@code kind: value_model}) into a {@link ValueModel}. */
final class ValueModelReader {
  private static final Set<String> FIELDS =
      Set.of(
          "kind", "id", "name", "owner", "enabled", "purchases", "spend", "fittedOn", "fittedAt");
  private static final Set<String> PURCHASE_FIELDS = Set.of("r", "alpha", "a", "b");
  private static final Set<String> SPEND_FIELDS = Set.of("p", "q", "gamma");

  private final DefinitionReader in;

  ValueModelReader(DefinitionReader in) {
    this.in = in;
  }

  /** The value model, or {@link InvalidRuleException} listing every problem. */
  ValueModel read() {
    in.rejectUnknown(in.root(), "", FIELDS);
    String id = in.id();
    String name = in.text("name", true);
    String owner = in.text("owner", false);
    ValueModel.PurchaseRates purchases = null;
    if (isMapping("purchases", "r, alpha, a and b (BG/NBD, time in days)")) {
      in.rejectUnknown(in.node("purchases"), "purchases", PURCHASE_FIELDS);
      purchases =
          new ValueModel.PurchaseRates(
              positive("purchases.r"),
              positive("purchases.alpha"),
              positive("purchases.a"),
              positive("purchases.b"));
    }
    ValueModel.Spend spend = null;
    if (isMapping("spend", "p, q and gamma (Gamma-Gamma)")) {
      in.rejectUnknown(in.node("spend"), "spend", SPEND_FIELDS);
      spend =
          new ValueModel.Spend(positive("spend.p"), positive("spend.q"), positive("spend.gamma"));
      if (spend.q() <= 1) {
        in.report("spend.q", "must be above 1: the mean order value is p x gamma / (q - 1)");
      }
    }
    long fittedOn = in.root().has("fittedOn") ? in.positive("fittedOn") : 0;
    Instant fittedAt = in.root().has("fittedAt") ? in.instant("fittedAt") : null;
    in.throwIfInvalid();
    return new ValueModel(id, name, owner, in.enabled(), purchases, spend, fittedOn, fittedAt, 0);
  }

  private boolean isMapping(String path, String fields) {
    if (!in.node(path).isObject()) {
      in.report(path, "is required: a mapping of " + fields);
      return false;
    }
    return true;
  }

  private double positive(String path) {
    double value = in.number(path);
    if (in.node(path).isNumber() && !(value > 0 && Double.isFinite(value))) {
      in.report(path, "must be a positive number");
    }
    return value;
  }
}

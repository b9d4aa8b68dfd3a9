package dev.engage.rulesbench;

import dev.engage.avro.Touchpoint;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.definition.Trigger;
import java.util.List;
import java.util.Optional;
import org.kie.api.KieBase;
import org.kie.api.builder.Message;
import org.kie.api.builder.Results;
import org.kie.api.io.ResourceType;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.internal.utils.KieHelper;

/**
 * Engage rules translated to DRL and compiled into one Drools rule base; each touchpoint is
 * inserted as a fact, the rules it matches fire, and it is retracted again.
 *
 * <p>Only {@code kind: event} rules with a condition {@link DrlConstraint} translates have a
 * faithful DRL twin. Count, sequence and absence rules keep per-customer state with Engage's own
 * semantics (a count or sequence starts again after it fired, an absence fires on the event-time
 * clock), which DRL could only mimic by re-implementing that state machine in facts, and threshold
 * and segment rules react to profiles, not touchpoints.
 */
final class DroolsRules {
  private final KieBase base;

  private DroolsRules(KieBase base) {
    this.base = base;
  }

  /** Whether the rule has a faithful DRL translation. */
  static boolean translates(Rule rule) {
    return drl(rule).isPresent();
  }

  /** Compiles the rules, every one of which must translate. */
  static DroolsRules compile(List<Rule> rules) {
    StringBuilder drl =
        new StringBuilder()
            .append("package dev.engage.rulesbench.drl;\n")
            .append("import ")
            .append(Touchpoint.class.getName())
            .append(";\n")
            .append("global ")
            .append(FiringListener.class.getName())
            .append(" firings;\n");
    for (Rule rule : rules) {
      drl.append(
          drl(rule)
              .orElseThrow(
                  () -> new IllegalArgumentException("no DRL translation of rule " + rule.id())));
    }
    KieHelper helper = new KieHelper().addContent(drl.toString(), ResourceType.DRL);
    Results results = helper.verify();
    if (results.hasMessages(Message.Level.ERROR)) {
      throw new IllegalStateException("DRL does not compile: " + results.getMessages());
    }
    return new DroolsRules(helper.build());
  }

  /** A session over the rules that tells {@code firings} of each firing. */
  Session session(FiringListener firings) {
    KieSession session = base.newKieSession();
    session.setGlobal("firings", firings);
    return new Session(session);
  }

  /** One Drools session: a touchpoint at a time. */
  static final class Session implements AutoCloseable {
    private final KieSession session;

    private Session(KieSession session) {
      this.session = session;
    }

    void evaluate(Touchpoint event) {
      FactHandle fact = session.insert(event);
      session.fireAllRules();
      session.delete(fact);
    }

    @Override
    public void close() {
      session.dispose();
    }
  }

  private static Optional<String> drl(Rule rule) {
    if (!(rule.trigger() instanceof Trigger.OnEvent event)
        || rule.audience() != null
        || rule.activeFrom() != null
        || rule.activeUntil() != null
        || !rule.cooldown().isZero()
        || !rule.enabled()) {
      return Optional.empty();
    }
    String id = rule.id().replace("\\", "\\\\").replace("\"", "\\\"");
    return DrlConstraint.of(event.condition())
        .map(
            constraint ->
                "rule \"%s\"\nwhen\n  $t : Touchpoint(%s)\nthen\n  firings.fired(\"%s\", $t);\nend\n"
                    .formatted(id, constraint, id));
  }
}

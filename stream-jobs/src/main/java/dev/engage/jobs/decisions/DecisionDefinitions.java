package dev.engage.jobs.decisions;

import dev.engage.avro.RuleRecord;
import dev.engage.rules.definition.Definition;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.definition.InvalidRuleException;
import dev.engage.rules.definition.Offer;
import dev.engage.rules.definition.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules and offers the decisions operator works with, compiled from the broadcast records and
 * kept until a record changes, so that decisions do not parse definitions. A definition that does
 * not compile (written to the topic around the CLI and API) is left out and counted by the caller.
 */
final class DecisionDefinitions {
  /** The kinds this operator reads; segments and scoring models are the profile job's. */
  static boolean isDecisionKind(String kind) {
    return kind.equals(Rule.KIND) || kind.equals(Offer.KIND);
  }

  private final DefinitionParser parser;
  private final Runnable onInvalid;
  private final Map<String, Definition> compiled = new HashMap<>();
  private List<Offer> activeOffers;
  private Map<String, Rule> activeRules;

  /**
   * @param onInvalid told of every record that does not compile
   */
  DecisionDefinitions(DefinitionParser parser, Runnable onInvalid) {
    this.parser = parser;
    this.onInvalid = onInvalid;
  }

  /** Drops what was compiled for the id: its record changed or went. */
  void forget(String id) {
    compiled.remove(id);
    activeOffers = null;
    activeRules = null;
  }

  /** Compiles the record once per version; empty when it does not compile. */
  Optional<Definition> of(RuleRecord record) {
    Definition known = compiled.get(record.getId());
    if (known != null && known.version() == record.getVersion()) {
      return Optional.of(known);
    }
    Definition parsed;
    try {
      parsed = parser.parse(record.getSource());
    } catch (InvalidRuleException e) {
      onInvalid.run();
      return Optional.empty();
    }
    Definition published =
        parsed instanceof Rule rule
            ? rule.withVersion(record.getVersion())
            : ((Offer) parsed).withVersion(record.getVersion());
    compiled.put(record.getId(), published);
    return Optional.of(published);
  }

  /** The enabled rules among the records, by id. */
  Map<String, Rule> rules(Iterable<Map.Entry<String, RuleRecord>> records) {
    if (activeRules != null) {
      return activeRules;
    }
    Map<String, Rule> rules = new HashMap<>();
    for (Map.Entry<String, RuleRecord> entry : records) {
      RuleRecord record = entry.getValue();
      if (record.getKind().equals(Rule.KIND) && record.getEnabled()) {
        of(record).map(Rule.class::cast).filter(Rule::enabled).ifPresent(r -> rules.put(r.id(), r));
      }
    }
    activeRules = Map.copyOf(rules);
    return activeRules;
  }

  /** The enabled offers among the records (whether each is active now is the caller's question). */
  List<Offer> offers(Iterable<Map.Entry<String, RuleRecord>> records) {
    if (activeOffers != null) {
      return activeOffers;
    }
    List<Offer> offers = new ArrayList<>();
    for (Map.Entry<String, RuleRecord> entry : records) {
      RuleRecord record = entry.getValue();
      if (record.getKind().equals(Offer.KIND) && record.getEnabled()) {
        of(record).map(Offer.class::cast).filter(Offer::enabled).ifPresent(offers::add);
      }
    }
    activeOffers = List.copyOf(offers);
    return activeOffers;
  }
}

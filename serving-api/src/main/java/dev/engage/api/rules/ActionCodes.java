package dev.engage.api.rules;

import dev.engage.avro.RuleRecord;
import dev.engage.rules.definition.Definition;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.definition.InvalidRuleException;
import dev.engage.rules.definition.Offer;
import dev.engage.rules.definition.Rule;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The action code a published rule or offer proposes, which is what the action statistics are
 * counted by: the studio puts each rule beside its code's figures. Parsing a definition compiles
 * its conditions, so each is parsed once per version and remembered; memory: one entry per
 * published definition.
 */
final class ActionCodes {
  private record Known(int version, String code) {}

  private final DefinitionParser parser;
  private final Map<String, Known> byId = new ConcurrentHashMap<>();

  ActionCodes(DefinitionParser parser) {
    this.parser = parser;
  }

  /** The code, or null for a segment or scoring model (and a source that no longer parses). */
  String of(RuleRecord record) {
    Known known = byId.get(record.getId());
    if (known == null || known.version() != record.getVersion()) {
      known = new Known(record.getVersion(), parse(record.getSource()));
      byId.put(record.getId(), known);
    }
    return known.code();
  }

  private String parse(String source) {
    Definition definition;
    try {
      definition = parser.parse(source);
    } catch (InvalidRuleException e) {
      return null;
    }
    if (definition instanceof Rule rule) {
      return rule.action().code();
    }
    return definition instanceof Offer offer ? offer.code() : null;
  }
}

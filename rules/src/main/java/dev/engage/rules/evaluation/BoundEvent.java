package dev.engage.rules.evaluation;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Touchpoint;
import java.util.Map;

/**
 * A touchpoint and the customer's profile, converted once into CEL bindings ({@code event}, {@code
 * profile}, {@code now}) so that one event can be evaluated against hundreds of rules without
 * converting it for each. Made by {@link RuleEvaluator#bind}.
 */
public record BoundEvent(Touchpoint event, CustomerProfile profile, Map<String, Object> bindings) {}

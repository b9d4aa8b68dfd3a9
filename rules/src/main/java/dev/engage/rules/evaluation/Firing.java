package dev.engage.rules.evaluation;

import dev.engage.avro.Cause;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A rule became true for a customer: why (in words and values) and which events caused it.
 *
 * @param occurredAt the event time at which it became true
 */
public record Firing(
    String explanation, Map<String, String> values, List<Cause> causes, Instant occurredAt) {}

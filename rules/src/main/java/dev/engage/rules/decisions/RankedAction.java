package dev.engage.rules.decisions;

/**
 * A candidate in its place on the customer's list, with its score and the reason an agent can
 * repeat.
 *
 * @param rank 1 for the best
 */
public record RankedAction(Candidate candidate, int rank, ScoreParts score, String reason) {}

package dev.engage.rules.cel;

/**
 * Why a condition cannot be saved, at a position within the expression.
 *
 * @param line 1-based line within the expression
 * @param column 1-based column within that line
 */
public record ConditionProblem(int line, int column, String message) {}

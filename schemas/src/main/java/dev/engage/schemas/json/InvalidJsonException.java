package dev.engage.schemas.json;

import java.util.List;

/** JSON that does not fit the Avro type; {@link #problems()} names each field and what is wrong. */
public final class InvalidJsonException extends RuntimeException {
  private final List<String> problems;

  public InvalidJsonException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}

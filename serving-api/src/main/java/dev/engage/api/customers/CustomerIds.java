package dev.engage.api.customers;

import dev.engage.schemas.http.Problem;
import io.javalin.http.Context;

/**
 * A customer id from a request, checked: braces would break the Redis hash tag that keeps one
 * customer's keys on one cluster slot, and control characters have no business in an id.
 */
public final class CustomerIds {
  static final int MAX_LENGTH = 256;

  /** What {@link #isValid} asks, for field errors. */
  public static final String RULE =
      "a customer id has 1 to " + MAX_LENGTH + " characters, no braces or control characters";

  private CustomerIds() {}

  /** The {@code {id}} of a customer route; 400 when it is no customer id. */
  public static String of(Context ctx) {
    String id = ctx.pathParam("id");
    if (id.isBlank() || id.length() > MAX_LENGTH) {
      throw Problem.badRequest("id: a customer id has 1 to " + MAX_LENGTH + " characters");
    }
    if (!isValid(id)) {
      throw Problem.badRequest("id: a customer id may not contain braces or control characters");
    }
    return id;
  }

  public static boolean isValid(String id) {
    if (id.isBlank() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '{' || c == '}' || Character.isISOControl(c)) {
        return false;
      }
    }
    return true;
  }
}

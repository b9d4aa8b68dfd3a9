package dev.engage.api.customers;

import dev.engage.api.http.Problem;
import io.javalin.http.Context;

/**
 * The {@code {id}} of a customer route, checked: braces would break the Redis hash tag that keeps
 * one customer's keys on one cluster slot, and control characters have no business in an id.
 */
final class CustomerIds {
  static final int MAX_LENGTH = 256;

  private CustomerIds() {}

  static String of(Context ctx) {
    String id = ctx.pathParam("id");
    if (id.isBlank() || id.length() > MAX_LENGTH) {
      throw Problem.badRequest("id: a customer id has 1 to " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '{' || c == '}' || Character.isISOControl(c)) {
        throw Problem.badRequest("id: a customer id may not contain braces or control characters");
      }
    }
    return id;
  }
}

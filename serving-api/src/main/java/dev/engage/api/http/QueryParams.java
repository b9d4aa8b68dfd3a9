package dev.engage.api.http;

import dev.engage.schemas.http.Problem;
import io.javalin.http.Context;

/** Query parameters read with their defaults and bounds; a bad one is a 400 that names it. */
public final class QueryParams {
  private QueryParams() {}

  /** A whole number from 1 to {@code max}, or {@code fallback} when the parameter is absent. */
  public static int wholeNumber(Context ctx, String name, int fallback, int max) {
    String given = ctx.queryParam(name);
    if (given == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(given);
      if (value >= 1 && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw Problem.badRequest(name + " must be a whole number from 1 to " + max + ": " + given);
  }
}

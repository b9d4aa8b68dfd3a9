package dev.engage.api.http;

import dev.engage.schemas.http.Problem;
import io.javalin.http.Context;

/**
 * Refuses a body above the limit before anything reads it (413, problem+json). Javalin's own {@code
 * maxRequestSize} catches bodies sent without a Content-Length (chunked).
 */
public final class RequestLimits {
  private final long maxBodyBytes;

  public RequestLimits(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  public void check(Context ctx) {
    long length = ctx.req().getContentLengthLong();
    if (length > maxBodyBytes) {
      throw Problem.of(
          413, "the body has " + length + " bytes; at most " + maxBodyBytes + " are accepted");
    }
  }
}

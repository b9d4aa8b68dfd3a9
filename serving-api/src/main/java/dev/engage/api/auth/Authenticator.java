package dev.engage.api.auth;

import dev.engage.schemas.http.Problem;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs before every matched route: finds the caller's key ({@code Authorization: Bearer <key>} or
 * {@code X-API-Key}), answers 401 for a missing or unknown key (with WWW-Authenticate), 403 for a
 * key whose role the route does not allow, 429 with Retry-After when the key exceeds its rate.
 * Routes without roles take no key: health, and those that check a signature of their own
 * (providers' receipts, one-click unsubscribe). The event-stream route also takes a {@link
 * StreamTokens stream token} as {@code ?token=}, for browsers, whose {@code EventSource} cannot
 * send headers.
 */
public final class Authenticator {
  private static final String ATTRIBUTE = "engage.apiKey";
  private static final String CHALLENGE = "Bearer realm=\"engage\"";

  private final ApiKeys keys;
  private final RateLimiter limiter;
  private final double defaultRate;
  private final StreamTokens streamTokens;
  private final Set<String> tokenRoutes;

  /**
   * @param streamTokens checks tokens on the routes in {@code tokenRoutes} (route templates with a
   *     customer {@code {id}}), when no key is sent
   */
  public Authenticator(
      ApiKeys keys,
      RateLimiter limiter,
      double defaultRate,
      StreamTokens streamTokens,
      Set<String> tokenRoutes) {
    this.keys = keys;
    this.limiter = limiter;
    this.defaultRate = defaultRate;
    this.streamTokens = streamTokens;
    this.tokenRoutes = Set.copyOf(tokenRoutes);
  }

  public void check(Context ctx) {
    Set<RouteRole> allowed = ctx.routeRoles();
    if (allowed.isEmpty()) {
      return;
    }
    Optional<String> secret = secretOf(ctx);
    ApiKey key;
    if (secret.isPresent()) {
      key = keys.find(secret.get()).orElseThrow(() -> unauthorized("unknown API key"));
    } else if (ctx.queryParam("token") != null && tokenRoutes.contains(ctx.endpointHandlerPath())) {
      key =
          streamTokens
              .verify(ctx.queryParam("token"), ctx.pathParam("id"))
              .flatMap(keys::named)
              .orElseThrow(
                  () ->
                      unauthorized(
                          "the stream token is invalid, expired or for another customer; ask"
                              + " for a new one"));
    } else {
      throw unauthorized("this route needs an API key: Authorization: Bearer <key>");
    }
    if (key.role() != Role.ADMIN && !allowed.contains(key.role())) {
      throw new Problem(
          403,
          "forbidden",
          "Forbidden",
          "a key with role "
              + key.role().label()
              + " may not use this route; allowed: "
              + allowed.stream()
                  .map(r -> ((Role) r).label())
                  .sorted()
                  .collect(Collectors.joining(", ")));
    }
    double rate = key.rateLimit() > 0 ? key.rateLimit() : defaultRate;
    long waitNanos = limiter.tryAcquire(key.name(), rate);
    if (waitNanos > 0) {
      long seconds = Math.max(1, (long) Math.ceil(waitNanos / 1e9));
      throw new Problem(
              429,
              "rate-limited",
              "Too many requests",
              "key " + key.name() + " is limited to " + rate + " requests per second")
          .withHeader("Retry-After", Long.toString(seconds));
    }
    ctx.attribute(ATTRIBUTE, key);
  }

  /** The key of an authenticated request (routes with roles only). */
  public static ApiKey caller(Context ctx) {
    ApiKey key = ctx.attribute(ATTRIBUTE);
    if (key == null) {
      throw new IllegalStateException("no authenticated caller on " + ctx.path());
    }
    return key;
  }

  private static Optional<String> secretOf(Context ctx) {
    String authorization = ctx.header("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(authorization.substring(7).trim()).filter(s -> !s.isEmpty());
    }
    return Optional.ofNullable(ctx.header("X-API-Key")).map(String::trim).filter(s -> !s.isEmpty());
  }

  private static Problem unauthorized(String detail) {
    return new Problem(401, "unauthorized", "Unauthorized", detail)
        .withHeader("WWW-Authenticate", CHALLENGE);
  }
}

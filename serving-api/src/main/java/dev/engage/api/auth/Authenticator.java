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
 *
 * <p>The {@code app} role reaches a customer only through an {@link StreamTokens app token} for
 * that customer (sent as the bearer, or as {@code ?token=} on the stream): a token for another
 * customer is 403, and so is a static app key on any customer route.
 */
public final class Authenticator {
  private static final String ATTRIBUTE = "engage.apiKey";
  private static final String CHALLENGE = "Bearer realm=\"engage\"";
  private static final String APP_TOKEN_PREFIX = "app-token:";

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
      key =
          keys.find(secret.get())
              .or(() -> appTokenCaller(ctx, secret.get()))
              .orElseThrow(() -> unauthorized("unknown API key"));
    } else if (ctx.queryParam("token") != null && tokenRoutes.contains(ctx.endpointHandlerPath())) {
      String token = ctx.queryParam("token");
      key =
          streamTokens
              .verify(token, ctx.pathParam("id"))
              .flatMap(keys::named)
              .or(() -> appTokenCaller(ctx, token))
              .orElseThrow(
                  () ->
                      unauthorized(
                          "the stream token is invalid, expired or for another customer; ask"
                              + " for a new one"));
    } else {
      throw unauthorized("this route needs an API key: Authorization: Bearer <key>");
    }
    if (key.role() != Role.ADMIN && !allowed.contains(key.role())) {
      throw forbidden(
          "a key with role "
              + key.role().label()
              + " may not use this route; allowed: "
              + allowed.stream()
                  .map(r -> ((Role) r).label())
                  .sorted()
                  .collect(Collectors.joining(", ")));
    }
    if (key.role() == Role.APP && isCustomerRoute(ctx) && !isAppToken(key)) {
      throw forbidden(
          "an app key reaches no customer: the app's backend asks for an app token for its"
              + " customer (POST /v1/customers/{id}/token with a service key), the app sends that");
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

  /**
   * The caller an app token stands for: role app, named after its customer, with the issuing key's
   * rate limit; empty when the token is not a genuine, unexpired app token of a key still
   * configured with the service or admin role.
   *
   * @throws Problem 403 when the token is genuine but for another customer, or the route has none
   */
  private Optional<ApiKey> appTokenCaller(Context ctx, String token) {
    Optional<StreamTokens.Claims> claims =
        streamTokens.read(token).filter(c -> c.kind() == StreamTokens.Kind.APP);
    Optional<ApiKey> issuer =
        claims
            .flatMap(c -> keys.named(c.keyName()))
            .filter(k -> k.role() == Role.SERVICE || k.role() == Role.ADMIN);
    if (issuer.isEmpty()) {
      return Optional.empty();
    }
    String customerId = claims.get().customerId();
    if (!isCustomerRoute(ctx) || !customerId.equals(ctx.pathParam("id"))) {
      throw forbidden("this app token is for customer " + customerId + " only");
    }
    return Optional.of(
        new ApiKey(APP_TOKEN_PREFIX + customerId, "", Role.APP, issuer.get().rateLimit()));
  }

  private static boolean isAppToken(ApiKey key) {
    return key.key().isEmpty() && key.name().startsWith(APP_TOKEN_PREFIX);
  }

  private static boolean isCustomerRoute(Context ctx) {
    return ctx.endpointHandlerPath().startsWith("/v1/customers/{id}");
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

  private static Problem forbidden(String detail) {
    return new Problem(403, "forbidden", "Forbidden", detail);
  }

  private static Problem unauthorized(String detail) {
    return new Problem(401, "unauthorized", "Unauthorized", detail)
        .withHeader("WWW-Authenticate", CHALLENGE);
  }
}

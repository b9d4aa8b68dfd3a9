package dev.engage.api.http;

import dev.engage.api.kafka.PublishException;
import dev.engage.schemas.http.Problem;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Turns every failure into a problem+json answer and never a stack trace: our {@link Problem}s as
 * they are, Redis or Kafka out of reach (or Redis saying "not now", {@link #isTemporary}) as 503
 * with Retry-After (counted), Javalin's own refusals (413 on a body above the limit, 404 of an
 * unknown path) with a problem body, the rest as 500 with the details in the log only.
 */
public final class ErrorHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlers.class);
  static final int RETRY_AFTER_SECONDS = 2;
  private static final List<String> TEMPORARY =
      List.of("LOADING", "BUSY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN");

  private ErrorHandlers() {}

  public static void register(Javalin app, Counter redisErrors) {
    app.exception(Problem.class, (e, ctx) -> e.answer(ctx));
    app.exception(
        JedisException.class,
        (e, ctx) -> {
          if (e instanceof JedisDataException && !isTemporary(e)) {
            LOG.error("{} {}: Redis refused a command", ctx.method(), ctx.path(), e);
            Problem.of(500, "Redis refused a command; see the log").answer(ctx);
            return;
          }
          redisErrors.increment();
          LOG.warn("{} {}: Redis unavailable: {}", ctx.method(), ctx.path(), e.getMessage());
          Problem.unavailable(
                  "the profile store (Redis) does not answer; retry shortly", RETRY_AFTER_SECONDS)
              .answer(ctx);
        });
    app.exception(
        PublishException.class,
        (e, ctx) -> {
          LOG.warn("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
          Problem.unavailable(e.getMessage() + "; retry shortly", RETRY_AFTER_SECONDS).answer(ctx);
        });
    app.exception(
        HttpResponseException.class,
        (e, ctx) -> Problem.of(e.getStatus(), e.getMessage()).answer(ctx));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
          Problem.of(500, "the request failed; see the API's log").answer(ctx);
        });
    app.error(
        404,
        ctx -> {
          if (!isProblem(ctx.res().getContentType())) {
            Problem.notFound("no such route: " + ctx.method() + " " + ctx.path()).answer(ctx);
          }
        });
  }

  /**
   * Redis's own "not now" refusals: LOADING (a restarted Redis reads its data back), BUSY (a slow
   * script), MASTERDOWN, CLUSTERDOWN, TRYAGAIN. Like Redis out of reach, they pass by themselves.
   */
  static boolean isTemporary(JedisException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    return TEMPORARY.stream().anyMatch(code -> message.startsWith(code + " "));
  }

  private static boolean isProblem(String contentType) {
    return contentType != null && contentType.startsWith("application/problem+json");
  }
}

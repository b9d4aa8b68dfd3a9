package dev.engage.jobs.redis;

import dev.engage.jobs.analytics.Figure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * Analytics totals into their hashes ({@code AnalyticsKeys}): a field is set only when the total is
 * larger than what the hash holds, since totals only grow. A replay after a restore, which emits
 * totals Redis has seen, so never moves a figure backwards.
 */
final class RedisFigures {
  /** KEYS[1] the hash, ARGV[1] the field, ARGV[2] the total: 1 when written. */
  private static final String WRITE_IF_LARGER =
      "local held = tonumber(redis.call('HGET', KEYS[1], ARGV[1]))\n"
          + "if held == nil or tonumber(ARGV[2]) > held then\n"
          + "  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])\n"
          + "  return 1\n"
          + "end\n"
          + "return 0";

  private RedisFigures() {}

  /** Writes the totals; returns how many were written (not refused as smaller). */
  static int write(UnifiedJedis redis, Collection<Figure> totals) {
    List<Response<Object>> answers = new ArrayList<>();
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (Figure total : totals) {
        if (!total.grows()) {
          pipeline.hset(total.hash(), total.field(), number(total.value()));
          continue;
        }
        answers.add(
            pipeline.eval(
                WRITE_IF_LARGER,
                List.of(total.hash()),
                List.of(total.field(), number(total.value()))));
      }
      pipeline.sync();
    }
    return totals.size()
        - (int) answers.stream().filter(a -> Long.valueOf(0).equals(a.get())).count();
  }

  /** A count as a whole number, a credit or an amount as a decimal. */
  static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}

package dev.engage.jobs.redis;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BinaryOperator;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.function.SerializableFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Writes records to Redis in pipelined batches: a batch goes out when it holds {@value #MAX_BATCH}
 * keys, or {@code maxDelay} after its first record arrived, and before every checkpoint, so Redis
 * is never more than {@code maxDelay} behind (plus the write itself) and nothing acknowledged by a
 * checkpoint is missing from Redis. Within a batch, records of the same key are merged ({@code
 * keep}: the newest version of a customer's profile, say). At least once: the writes themselves
 * must be idempotent ({@link RedisSinks} says how each is).
 *
 * <p>When Redis cannot be reached the writer retries with backoff, holding back the job (nothing is
 * dropped); after {@code giveUpAfter} it fails, and Flink restarts the job from its last
 * checkpoint.
 */
public final class RedisBatchSink<T> implements Sink<T> {
  private static final long serialVersionUID = 1L;
  static final int MAX_BATCH = 500;

  /** Of two records with the same key in a batch, the one to write. */
  @FunctionalInterface
  public interface Keep<T> extends BinaryOperator<T>, Serializable {}

  /** Writes one batch in as few round trips as it can; returns how many records Redis took. */
  @FunctionalInterface
  public interface Writes<T> extends Serializable {
    int write(UnifiedJedis redis, Collection<T> batch);
  }

  private final URI redisUri;
  private final Duration maxDelay;
  private final Duration giveUpAfter;
  private final SerializableFunction<T, String> key;
  private final Keep<T> keep;
  private final Writes<T> writes;
  private final String writtenMetric;

  /**
   * @param key what records are merged by within a batch
   * @param keep of two records with the same key, the one to write
   * @param writtenMetric the name of the counter of records Redis took
   */
  public RedisBatchSink(
      URI redisUri,
      Duration maxDelay,
      Duration giveUpAfter,
      SerializableFunction<T, String> key,
      Keep<T> keep,
      Writes<T> writes,
      String writtenMetric) {
    this.redisUri = redisUri;
    this.maxDelay = maxDelay;
    this.giveUpAfter = giveUpAfter;
    this.key = key;
    this.keep = keep;
    this.writes = writes;
    this.writtenMetric = writtenMetric;
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    return new Writer(context);
  }

  private final class Writer implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(RedisBatchSink.class);

    private final Map<String, T> batch = new LinkedHashMap<>();
    private final ProcessingTimeService time;
    private final UnifiedJedis redis = RedisClients.connect(redisUri);
    private final Counter written;
    private final Counter retries;
    private boolean flushScheduled;

    Writer(WriterInitContext context) {
      time = context.getProcessingTimeService();
      written = context.metricGroup().counter(writtenMetric);
      retries = context.metricGroup().counter("redisRetries");
    }

    @Override
    public void write(T record, Context context) throws IOException {
      batch.merge(key.apply(record), record, keep);
      if (batch.size() >= MAX_BATCH) {
        writeBatch();
      } else if (!flushScheduled) {
        flushScheduled = true;
        time.registerTimer(
            time.getCurrentProcessingTime() + maxDelay.toMillis(), at -> writeBatch());
      }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
      writeBatch();
    }

    private void writeBatch() throws IOException {
      flushScheduled = false;
      if (batch.isEmpty()) {
        return;
      }
      long deadline = System.nanoTime() + giveUpAfter.toNanos();
      long backoffMs = 50;
      while (true) {
        try {
          written.inc(writes.write(redis, batch.values()));
          batch.clear();
          return;
        } catch (JedisConnectionException | JedisClusterOperationException e) {
          if (System.nanoTime() > deadline) {
            throw new IOException(
                "Redis at " + redisUri + " unreachable for " + giveUpAfter.toSeconds() + " s", e);
          }
          retries.inc();
          LOG.warn("Redis unreachable ({}); retrying in {} ms", e.getMessage(), backoffMs);
          sleep(backoffMs);
          backoffMs = Math.min(2_000, backoffMs * 2);
        }
      }
    }

    private static void sleep(long millis) throws IOException {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for Redis", e);
      }
    }

    @Override
    public void close() {
      redis.close();
    }
  }
}

package dev.engage.jobs.redis;

import dev.engage.avro.CustomerProfile;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Writes profile versions to Redis ({@link RedisProfiles}) in pipelined batches: a batch goes out
 * when it holds {@value #MAX_BATCH} customers, or {@code maxDelay} after its first profile arrived,
 * and before every checkpoint, so Redis is never more than {@code maxDelay} behind (plus the write
 * itself) and nothing acknowledged by a checkpoint is missing from Redis. Within a batch only the
 * newest version of each customer is written.
 *
 * <p>When Redis cannot be reached the writer retries with backoff, holding back the job (nothing is
 * dropped); after {@code giveUpAfter} it fails, and Flink restarts the job from its last
 * checkpoint.
 */
public final class RedisProfileSink implements Sink<CustomerProfile> {
  private static final long serialVersionUID = 1L;
  static final int MAX_BATCH = 500;

  private final URI redisUri;
  private final Duration maxDelay;
  private final Duration giveUpAfter;

  public RedisProfileSink(URI redisUri, Duration maxDelay, Duration giveUpAfter) {
    this.redisUri = redisUri;
    this.maxDelay = maxDelay;
    this.giveUpAfter = giveUpAfter;
  }

  @Override
  public SinkWriter<CustomerProfile> createWriter(WriterInitContext context) {
    return new Writer(context);
  }

  private final class Writer implements SinkWriter<CustomerProfile> {
    private static final Logger LOG = LoggerFactory.getLogger(RedisProfileSink.class);

    private final Map<String, CustomerProfile> batch = new LinkedHashMap<>();
    private final ProcessingTimeService time;
    private final JedisPooled redis = new JedisPooled(redisUri);
    private final RedisProfiles profiles = new RedisProfiles(redis);
    private final Counter written;
    private final Counter retries;
    private boolean flushScheduled;

    Writer(WriterInitContext context) {
      time = context.getProcessingTimeService();
      written = context.metricGroup().counter("redisProfilesWritten");
      retries = context.metricGroup().counter("redisRetries");
    }

    @Override
    public void write(CustomerProfile profile, Context context) throws IOException {
      batch.merge(
          profile.getCustomerId(),
          profile,
          (held, next) -> next.getVersion() > held.getVersion() ? next : held);
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
          written.inc(profiles.write(batch.values()));
          batch.clear();
          return;
        } catch (JedisConnectionException e) {
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

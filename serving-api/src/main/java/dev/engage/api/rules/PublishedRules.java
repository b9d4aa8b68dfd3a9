package dev.engage.api.rules;

import dev.engage.api.kafka.TopicFollower;
import dev.engage.avro.RuleRecord;
import dev.engage.schemas.topics.Topic;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The published definitions, by id, from a followed copy of the compacted {@code rules} topic, so
 * that listing them does not read the whole topic per request. A read names the committed end it
 * must include ({@code RuleStore#committedEnds}, one offsets request) and waits until the copy has
 * been read that far: what was published before the request, by this API or anyone, is in the
 * answer.
 */
public final class PublishedRules implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Map<String, RuleRecord> byId = new TreeMap<>();
  private TopicFollower<RuleRecord> follower;

  private PublishedRules() {}

  /** Starts following the topic from its beginning. */
  public static PublishedRules follow(String bootstrapServers, Topic<String, RuleRecord> topic) {
    PublishedRules rules = new PublishedRules();
    rules.follower = TopicFollower.start(bootstrapServers, topic, rules::record);
    return rules;
  }

  private synchronized void record(ConsumerRecord<String, RuleRecord> record) {
    if (record.value() == null) {
      byId.remove(record.key());
    } else {
      byId.put(record.key(), record.value());
    }
  }

  /**
   * The definitions as of at least {@code ends}; throws {@link IllegalStateException} when the copy
   * has not got there within 10 s.
   */
  public Map<String, RuleRecord> current(Map<TopicPartition, Long> ends) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!reached(ends)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the copy of the rules topic lags behind " + ends);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading the rules", e);
      }
    }
    synchronized (this) {
      return new TreeMap<>(byId);
    }
  }

  private boolean reached(Map<TopicPartition, Long> ends) {
    Map<TopicPartition, Long> read = follower.positions();
    return ends.entrySet().stream()
        .allMatch(end -> read.getOrDefault(end.getKey(), -1L) >= end.getValue());
  }

  @Override
  public void close() {
    follower.close();
  }
}

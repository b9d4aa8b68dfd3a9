package dev.engage.delivery.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * The durable part of delivery, in Redis: per channel a ledger entry for every notification (kept
 * for {@code ledgerTtl}, longer than Kafka keeps notifications, so no replay sends one twice), a
 * queue per provider scored by due time, and an outbox of responses for Kafka.
 *
 * <p>A notification moves through it in atomic scripts: {@link #enqueue} only if the ledger has
 * never seen its id; {@link #lease} hides it from other workers for the length of one send (a
 * worker that dies lets it reappear when the lease ends); {@link #markSending} records that a send
 * starts; {@link #settle} writes the outcome, removes it from the queue and puts its response in
 * the outbox, all at once. The one window left is between a provider's acceptance and {@link
 * #settle}: a process killed there leaves {@code sending:n}, and the next send carries the same
 * Idempotency-Key, webhook-id and Message-ID, by which providers and mail stores recognise it.
 */
public final class DeliveryStore {
  private static final String ENQUEUE =
      """
      if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
      redis.call('SET', KEYS[1], 'queued', 'PX', ARGV[3])
      redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
      redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
      return 1
      """;

  /** Due ids, each pushed back to the lease's end; returns id, bytes, attempts, state per item. */
  private static final String LEASE =
      """
      local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
      local out = {}
      for _, id in ipairs(ids) do
        redis.call('ZADD', KEYS[1], ARGV[2], id)
        out[#out + 1] = id
        out[#out + 1] = redis.call('HGET', KEYS[2], id) or ''
        out[#out + 1] = redis.call('HGET', KEYS[3], id) or '0'
        out[#out + 1] = redis.call('GET', ARGV[4] .. id) or ''
      end
      return out
      """;

  private static final String SETTLE =
      """
      redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
      redis.call('ZREM', KEYS[2], ARGV[1])
      redis.call('HDEL', KEYS[3], ARGV[1])
      redis.call('HDEL', KEYS[4], ARGV[1])
      for i = 3, #ARGV do redis.call('RPUSH', KEYS[5], ARGV[i]) end
      return 1
      """;

  private static final String RESCHEDULE =
      """
      redis.call('ZREM', KEYS[1], ARGV[1])
      redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
      redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
      return 1
      """;

  private static final String REFUSE =
      """
      if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      for i = 3, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
      return 1
      """;

  /** Where notifications no provider can take are recorded: an unknown or unserved channel. */
  public static final String UNROUTED = "unrouted";

  private final UnifiedJedis redis;
  private final Duration ledgerTtl;

  public DeliveryStore(UnifiedJedis redis, Duration ledgerTtl) {
    this.redis = redis;
    this.ledgerTtl = ledgerTtl;
  }

  /**
   * Queues a notification for the provider, due at {@code dueAt} (epoch ms), unless the ledger
   * already knows its id (a replay). Returns whether it was new.
   */
  public boolean enqueue(
      String channel, String provider, String notificationId, byte[] notification, long dueAt) {
    Object added =
        redis.eval(
            bytes(ENQUEUE),
            List.of(
                bytes(DeliveryKeys.state(channel, notificationId)),
                bytes(DeliveryKeys.items(channel)),
                bytes(DeliveryKeys.due(channel, provider))),
            List.of(
                bytes(notificationId),
                bytes(Long.toString(dueAt)),
                bytes(Long.toString(ledgerTtl.toMillis())),
                notification));
    return Long.valueOf(1).equals(added);
  }

  /**
   * Records a notification no provider can take as failed, with its records for Kafka, unless the
   * ledger already knows its id. Returns whether it was new.
   */
  public boolean refuse(String notificationId, String reason, List<OutboxRecord> records) {
    List<byte[]> args = new ArrayList<>();
    args.add(bytes("failed:" + reason));
    args.add(bytes(Long.toString(ledgerTtl.toMillis())));
    records.forEach(r -> args.add(r.encode()));
    Object added =
        redis.eval(
            bytes(REFUSE),
            List.of(
                bytes(DeliveryKeys.state(UNROUTED, notificationId)),
                bytes(DeliveryKeys.outbox(UNROUTED))),
            args);
    return Long.valueOf(1).equals(added);
  }

  /** Up to {@code max} notifications due by {@code now}, hidden from others until {@code until}. */
  public List<Leased> lease(String channel, String provider, long now, long until, int max) {
    Object answer =
        redis.eval(
            bytes(LEASE),
            List.of(
                bytes(DeliveryKeys.due(channel, provider)),
                bytes(DeliveryKeys.items(channel)),
                bytes(DeliveryKeys.attempts(channel))),
            List.of(
                bytes(Long.toString(now)),
                bytes(Long.toString(until)),
                bytes(Integer.toString(max)),
                bytes(DeliveryKeys.state(channel, ""))));
    List<?> flat = (List<?>) answer;
    List<Leased> leased = new ArrayList<>();
    for (int i = 0; i + 3 < flat.size(); i += 4) {
      String state = text(flat.get(i + 3));
      leased.add(
          new Leased(
              text(flat.get(i)),
              (byte[]) flat.get(i + 1),
              Integer.parseInt(text(flat.get(i + 2))),
              state.isEmpty() ? null : state));
    }
    return leased;
  }

  /** Records that send number {@code attempt} of the notification starts now. */
  public void markSending(String channel, String notificationId, int attempt) {
    redis.set(
        DeliveryKeys.state(channel, notificationId),
        "sending:" + attempt,
        SetParams.setParams().keepTtl());
  }

  /** Puts the notification back in a provider's queue (its own or a fallback's) at {@code at}. */
  public void reschedule(
      String channel, String from, String to, String notificationId, long at, int attempts) {
    redis.eval(
        RESCHEDULE,
        List.of(
            DeliveryKeys.due(channel, from),
            DeliveryKeys.due(channel, to),
            DeliveryKeys.attempts(channel)),
        List.of(notificationId, Long.toString(at), Integer.toString(attempts)));
  }

  /**
   * The notification's final state ({@code sent:<provider message id>} or {@code failed:<reason>}),
   * its removal from the queue and its records for Kafka, in one step.
   */
  public void settle(
      String channel,
      String provider,
      String notificationId,
      String finalState,
      List<OutboxRecord> records) {
    List<byte[]> args = new ArrayList<>();
    args.add(bytes(notificationId));
    args.add(bytes(finalState));
    records.forEach(r -> args.add(r.encode()));
    redis.eval(
        bytes(SETTLE),
        List.of(
            bytes(DeliveryKeys.state(channel, notificationId)),
            bytes(DeliveryKeys.due(channel, provider)),
            bytes(DeliveryKeys.items(channel)),
            bytes(DeliveryKeys.attempts(channel)),
            bytes(DeliveryKeys.outbox(channel))),
        args);
  }

  /** The ledger state of a notification, or null when delivery never saw it. */
  public String state(String channel, String notificationId) {
    return redis.get(DeliveryKeys.state(channel, notificationId));
  }

  /** The oldest {@code max} records of the channel's outbox, without removing them. */
  public List<OutboxRecord> outbox(String channel, int max) {
    List<byte[]> raw = redis.lrange(bytes(DeliveryKeys.outbox(channel)), 0, max - 1);
    return raw.stream().map(OutboxRecord::decode).toList();
  }

  /** Removes the oldest {@code count} records of the outbox, once Kafka has them. */
  public void dropFromOutbox(String channel, int count) {
    redis.ltrim(DeliveryKeys.outbox(channel), count, -1);
  }

  /** How many notifications wait for the provider (due or not yet). */
  public long queued(String channel, String provider) {
    return redis.zcard(DeliveryKeys.due(channel, provider));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Object raw) {
    return raw instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(raw);
  }
}

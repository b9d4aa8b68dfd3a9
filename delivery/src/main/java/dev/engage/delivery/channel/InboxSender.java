package dev.engage.delivery.channel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.avro.Notification;
import dev.engage.schemas.json.AvroToJson;
import dev.engage.schemas.redis.RedisKeys;
import java.time.Clock;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * The in-app channel: puts the notification at the top of the customer's inbox ({@code
 * cust:{id}:inbox}, a list of JSON objects newest first, capped) and announces it on {@code
 * nba:{id}} as {@code {"type":"notification",...}}. A notification already in the inbox is not
 * added again, so a repeated send changes nothing: this channel is exactly once on its own.
 */
public final class InboxSender implements ChannelSender {
  /** Items the inbox keeps; older ones fall off the end. */
  public static final int CAPACITY = 50;

  private static final String ADD =
      """
      local needle = '"notificationId":"' .. ARGV[1] .. '"'
      for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
        if string.find(item, needle, 1, true) then return 0 end
      end
      redis.call('LPUSH', KEYS[1], ARGV[2])
      redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[3]) - 1)
      redis.call('PUBLISH', ARGV[4], ARGV[5])
      return 1
      """;

  private final UnifiedJedis redis;
  private final Clock clock;

  public InboxSender(UnifiedJedis redis, Clock clock) {
    this.redis = redis;
    this.clock = clock;
  }

  @Override
  public SendOutcome send(Notification notification, String address) {
    ObjectNode item = AvroToJson.write(notification);
    item.put("read", false);
    item.put("deliveredAt", clock.instant().toString());
    ObjectNode announcement = item.objectNode();
    announcement.put("type", "notification");
    announcement.set("notification", item);
    String id = notification.getCustomerId();
    redis.eval(
        ADD,
        List.of(RedisKeys.inbox(id)),
        List.of(
            notification.getNotificationId(),
            item.toString(),
            Integer.toString(CAPACITY),
            RedisKeys.updates(id),
            announcement.toString()));
    return new SendOutcome.Sent(notification.getNotificationId());
  }
}

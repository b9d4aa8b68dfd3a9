package dev.engage.schemas.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.apache.kafka.clients.consumer.CloseOptions;

/**
 * Consumer-group instance ids ({@code group.instance.id}) for the services' Kafka consumers. With
 * static membership a restarted instance takes its partitions back at once, instead of waiting out
 * the session timeout (45 s) of its previous self, which a crash never told the group it left. The
 * id must differ between instances that run at the same time and stay the same across one
 * instance's restarts: the host and the service's own port make it so. A static member does not
 * leave on close unless told to ({@link #closeAndLeave}), so a stopped instance's partitions would
 * wait out the session timeout too.
 */
public final class StaticMembership {
  private StaticMembership() {}

  /** The instance id of {@code member} (say, "delivery") of the service listening on port. */
  public static String instanceId(String member, int port) {
    return member + "-" + hostName() + "-" + port;
  }

  /** Close options for a clean stop: the member leaves, and the group rebalances at once. */
  public static CloseOptions closeAndLeave(Duration timeout) {
    return CloseOptions.timeout(timeout)
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}

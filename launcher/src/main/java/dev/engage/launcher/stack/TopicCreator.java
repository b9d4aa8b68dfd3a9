package dev.engage.launcher.stack;

import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Makes the cluster hold every topic of the catalog with its cleanup policy and at least its
 * partition count: creates the missing ones, fixes wrong cleanup settings (policy, retention) and
 * adds partitions where configured higher. Never deletes or shrinks anything.
 */
public final class TopicCreator {
  /** What {@link #ensure} did. */
  public record Outcome(int total, List<String> created, List<String> changed) {}

  private static final long TIMEOUT_SECONDS = 30;

  private final Admin admin;

  public TopicCreator(Admin admin) {
    this.admin = admin;
  }

  /** Connects to the cluster and ensures the catalog's topics there. */
  public static Outcome ensure(String bootstrapServers, TopicCatalog catalog) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      return new TopicCreator(admin).ensure(catalog);
    }
  }

  public Outcome ensure(TopicCatalog catalog) {
    try {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      List<Topic<?, ?>> present = new ArrayList<>();
      for (Topic<?, ?> topic : catalog.all()) {
        if (existing.contains(topic.name())) {
          present.add(topic);
        } else {
          missing.add(
              new NewTopic(topic.name(), topic.partitions(), catalog.replicationFactor())
                  .configs(topic.cleanup().configs()));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      List<String> changed = reconcile(present);
      return new Outcome(
          catalog.all().size(), missing.stream().map(NewTopic::name).toList(), changed);
    } catch (ExecutionException e) {
      throw new ServiceException("creating topics failed: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new ServiceException(
          "Kafka did not answer within " + TIMEOUT_SECONDS + " s while creating topics");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceException("interrupted while creating topics");
    }
  }

  private List<String> reconcile(Collection<Topic<?, ?>> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<String> changed = new ArrayList<>();
    if (topics.isEmpty()) {
      return changed;
    }
    List<String> names = topics.stream().map(Topic::name).toList();
    Map<String, TopicDescription> descriptions =
        admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    List<ConfigResource> resources =
        names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
    Map<ConfigResource, Config> configs =
        admin.describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    for (Topic<?, ?> topic : topics) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
      List<AlterConfigOp> fixes = new ArrayList<>();
      for (Map.Entry<String, String> wanted : topic.cleanup().configs().entrySet()) {
        ConfigEntry actual = configs.get(resource).get(wanted.getKey());
        if (actual == null || !wanted.getValue().equals(actual.value())) {
          fixes.add(
              new AlterConfigOp(
                  new ConfigEntry(wanted.getKey(), wanted.getValue()), AlterConfigOp.OpType.SET));
          changed.add(topic.name() + ": " + wanted.getKey() + " -> " + wanted.getValue());
        }
      }
      if (!fixes.isEmpty()) {
        admin
            .incrementalAlterConfigs(Map.of(resource, fixes))
            .all()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      int partitions = descriptions.get(topic.name()).partitions().size();
      if (partitions < topic.partitions()) {
        admin
            .createPartitions(Map.of(topic.name(), NewPartitions.increaseTo(topic.partitions())))
            .all()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        changed.add(topic.name() + ": partitions " + partitions + " -> " + topic.partitions());
      }
    }
    return changed;
  }
}

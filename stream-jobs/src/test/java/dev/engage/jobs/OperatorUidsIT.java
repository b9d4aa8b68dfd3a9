package dev.engage.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.operators.SourceOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.operators.sink.CommitterOperatorFactory;
import org.apache.flink.streaming.runtime.operators.sink.SinkWriterOperatorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every operator of {@link EngageApplication} that keeps state has a uid of its own: a savepoint
 * finds an operator's state by its uid, so without one (Flink then derives an id from the graph's
 * shape) any change to the wiring, or a rescale from a savepoint, loses that state. The operators
 * come from the stream graph the application builds (it reads where the rules topic ends, hence the
 * broker).
 */
@ExtendWith(SharedStack.class)
class OperatorUidsIT {

  @Test
  void everyStatefulOperatorHasAUidOfItsOwn(StackConfig config) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    JobTopics topics = JobTopics.create(config);
    topics.wireApplication(env, "uids", Duration.ofDays(90), topics.redisUri());
    List<StreamNode> stateful =
        env.getStreamGraph().getStreamNodes().stream().filter(OperatorUidsIT::keepsState).toList();

    // the listing finds every kind of state the application keeps
    assertThat(stateful)
        .extracting(StreamNode::getOperatorName)
        .contains(
            "Source: touchpoints",
            "route schedule and alternatives",
            "update profiles",
            "evaluate trigger rules",
            "decide next-best-actions and notifications",
            "count outcomes per action and segment",
            "notifications (exactly once): Writer",
            "notifications (exactly once): Committer",
            "profiles to Redis: Writer",
            "attribution",
            "conversion funnel",
            "figure totals");
    assertThat(stateful.stream().filter(node -> node.getTransformationUID() == null))
        .extracting(StreamNode::getOperatorName)
        .as("stateful operators without a uid")
        .isEmpty();
    Map<String, List<String>> byUid =
        stateful.stream()
            .collect(
                Collectors.groupingBy(
                    StreamNode::getTransformationUID,
                    TreeMap::new,
                    Collectors.mapping(StreamNode::getOperatorName, Collectors.toList())));
    assertThat(byUid.values().stream().filter(names -> names.size() > 1))
        .as("operators sharing a uid")
        .isEmpty();
    System.out.printf("%d stateful operators, each with its own uid:%n", byUid.size());
    byUid.forEach((uid, names) -> System.out.printf("  %-45s %s%n", uid, names.get(0)));
  }

  /**
   * Sources (split offsets), sinks (writer and committer state), keyed operators, broadcast
   * operators, and functions with operator state.
   */
  private static boolean keepsState(StreamNode node) {
    StreamOperatorFactory<?> factory = node.getOperatorFactory();
    if (node.getStateKeySerializer() != null
        || factory instanceof SourceOperatorFactory
        || factory instanceof SinkWriterOperatorFactory
        || factory instanceof CommitterOperatorFactory) {
      return true;
    }
    if (factory instanceof SimpleOperatorFactory<?> simple) {
      StreamOperator<?> operator = simple.getOperator();
      return operator instanceof CoBroadcastWithNonKeyedOperator
          || operator instanceof AbstractUdfStreamOperator<?, ?> udf
              && udf.getUserFunction() instanceof CheckpointedFunction;
    }
    return false;
  }
}

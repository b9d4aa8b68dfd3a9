package dev.engage.jobs.bench;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Latency to the triggers topic as a reader of the topic sees it: the time from sending a
 * customer's touchpoint until a firing for that customer (the record's key) can be read. Reads the
 * single-partition topic from its end at construction.
 */
final class TriggerLatencyProbe implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final LatencyRecorder recorder;
  private final Thread listener;
  private volatile boolean running = true;

  TriggerLatencyProbe(String bootstrapServers, String topic, LatencyRecorder recorder) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
    // triggers is transactional: a firing counts once a checkpoint has committed it
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.recorder = recorder;
    TopicPartition partition = new TopicPartition(topic, 0);
    consumer.assign(List.of(partition));
    consumer.seekToEnd(List.of(partition));
    consumer.position(partition); // resolves the end now, before anything is sent
    this.listener = new Thread(this::listen, "trigger-latency-probe");
    listener.setDaemon(true);
    listener.start();
  }

  private void listen() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          recorder.arrivedFor(LatencyRecorder.customerIndex(record.key()));
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    listener.join(5000);
  }
}

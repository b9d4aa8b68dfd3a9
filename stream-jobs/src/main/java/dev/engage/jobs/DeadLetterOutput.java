package dev.engage.jobs;

import dev.engage.avro.DeadLetter;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.runtime.tasks.ExceptionInChainedOperatorException;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The net under an operator's handling of one record: a {@link RuntimeException} from it sends the
 * record to the {@link #DEAD_LETTERS} side output (and from there to {@code jobs.dlq}) with the
 * exception as the reason, counts it ({@code deadLetters} on the operator's metrics) and lets the
 * operator go on with the next record. Without it the exception fails the job, the restore replays
 * the same record, and the job restarts on it for ever.
 *
 * <p>What the operator had already changed (state, timers, records emitted) before it threw stays:
 * the dead letter names the operator, so the record can be looked at and replayed by hand.
 *
 * <p>Operators guard their timers too, with a description of the timer as the record ({@link
 * #timer}), and each input they had held and hand on from a timer as a record of its own.
 *
 * <p>Not caught, because they are not the record's fault and a restart is the right answer: an
 * exception of an operator chained downstream (it has its own net) and the outside-system failures
 * the operator names (a Redis connection lost).
 */
public final class DeadLetterOutput implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterOutput.class);

  /** Records an operator threw on, on their way to {@code jobs.dlq}. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

  /** Where the guarded operator puts a side output: its context's {@code output}. */
  @FunctionalInterface
  public interface SideOutput {
    void output(OutputTag<DeadLetter> tag, DeadLetter letter);
  }

  /** The operator's handling of one record. */
  @FunctionalInterface
  public interface Handling {
    void run() throws Exception;
  }

  private final String operator;
  private final List<Class<? extends RuntimeException>> outsideFailures;
  private transient Counter deadLetters;

  /**
   * @param operator the operator's uid, the dead letters' source
   * @param outsideFailures exceptions of outside systems, rethrown so the job restarts and retries
   */
  @SafeVarargs
  public DeadLetterOutput(String operator, Class<? extends RuntimeException>... outsideFailures) {
    this.operator = operator;
    this.outsideFailures = List.of(outsideFailures);
  }

  /** Registers the counter; call from the operator's {@code open}. */
  public void open(MetricGroup metrics) {
    deadLetters = metrics.counter("deadLetters");
  }

  /**
   * Runs the handling of {@code record}; a runtime exception from it becomes a dead letter.
   *
   * @param key the operator's current key (a customer id, a rule id), or null
   */
  public void guard(Object record, Object key, SideOutput out, Handling handling) throws Exception {
    try {
      handling.run();
    } catch (ExceptionInChainedOperatorException e) {
      throw e;
    } catch (RuntimeException e) {
      if (outsideFailures.stream().anyMatch(type -> type.isInstance(e))) {
        throw e;
      }
      deadLetters.inc();
      LOG.warn("{} threw on a record of key {}; it goes to the dead letters", operator, key, e);
      out.output(DEAD_LETTERS, letter(record, key, e));
    }
  }

  /** What a dead letter holds for a timer an operator threw on: what it was for and its time. */
  public static String timer(String what, long timestamp) {
    return what + " timer at " + Instant.ofEpochMilli(timestamp);
  }

  private DeadLetter letter(Object record, Object key, RuntimeException e) {
    return DeadLetter.newBuilder()
        .setOriginalValue(ByteBuffer.wrap(text(record).getBytes(StandardCharsets.UTF_8)))
        .setReason(
            "unexpected " + e.getClass().getName() + " in " + operator + ": " + e.getMessage())
        .setSource(operator)
        .setKey(key == null ? null : key.toString())
        .setFailedAt(Instant.now())
        .build();
  }

  /**
   * The record as JSON, as far as it can be had: an Avro record as Avro writes it, a union of
   * inputs (a POJO with one field set) as that field under its name.
   */
  static String text(Object record) {
    if (record == null || record instanceof SpecificRecord || record instanceof CharSequence) {
      return String.valueOf(record);
    }
    try {
      for (Field field : record.getClass().getFields()) {
        Object value = Modifier.isStatic(field.getModifiers()) ? null : field.get(record);
        if (value != null) {
          return "{\"" + field.getName() + "\": " + value + "}";
        }
      }
    } catch (IllegalAccessException | RuntimeException unreadable) {
      // fall back to what the record says of itself
    }
    return String.valueOf(record);
  }
}

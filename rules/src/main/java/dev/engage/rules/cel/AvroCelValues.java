package dev.engage.rules.cel;

import com.google.protobuf.Timestamp;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

/**
 * Avro records as CEL runtime values: records become maps of their non-null fields (so {@code
 * has(event.amount)} is false when amount is null), ints and longs 64-bit longs, floats doubles,
 * timestamps protobuf Timestamps (CEL's runtime form), enums their symbol.
 */
public final class AvroCelValues {
  private AvroCelValues() {}

  public static Map<String, Object> of(IndexedRecord record) {
    Map<String, Object> values = new HashMap<>();
    for (Schema.Field field : record.getSchema().getFields()) {
      Object value = convert(record.get(field.pos()));
      if (value != null) {
        values.put(field.name(), value);
      }
    }
    return values;
  }

  /** CEL's runtime form of a timestamp. */
  public static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  private static Object convert(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof IndexedRecord record) {
      return of(record);
    }
    if (value instanceof CharSequence
        || value instanceof GenericEnumSymbol<?>
        || value instanceof Enum<?>) {
      return value.toString();
    }
    if (value instanceof Integer i) {
      return i.longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof Instant instant) {
      return timestamp(instant);
    }
    if (value instanceof LocalDate date) {
      return date.toString();
    }
    if (value instanceof ByteBuffer buffer) {
      return com.google.protobuf.ByteString.copyFrom(buffer.duplicate());
    }
    if (value instanceof List<?> list) {
      List<Object> converted = new ArrayList<>(list.size());
      list.forEach(item -> converted.add(convert(item)));
      return converted;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> converted = new HashMap<>();
      map.forEach((k, v) -> converted.put(k.toString(), convert(v)));
      return converted;
    }
    return value;
  }
}

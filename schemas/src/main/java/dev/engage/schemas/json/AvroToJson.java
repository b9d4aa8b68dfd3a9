package dev.engage.schemas.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Writes an Avro record as plain JSON, the way {@link JsonToAvro} reads it back: unions without
 * wrappers (an unset optional field is {@code null}), timestamps as ISO-8601 date-times, dates as
 * ISO dates, enums as their symbol, map keys sorted so the same record always gives the same text.
 */
public final class AvroToJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AvroToJson() {}

  public static ObjectNode write(IndexedRecord record) {
    return record(record, record.getSchema());
  }

  private static ObjectNode record(IndexedRecord record, Schema schema) {
    ObjectNode json = NODES.objectNode();
    for (Schema.Field field : schema.getFields()) {
      json.set(field.name(), value(record.get(field.pos()), field.schema()));
    }
    return json;
  }

  private static JsonNode value(Object value, Schema schema) {
    if (value == null) {
      return NODES.nullNode();
    }
    return switch (schema.getType()) {
      case UNION -> value(value, nonNull(schema));
      case RECORD -> record((IndexedRecord) value, schema);
      case ARRAY -> {
        ArrayNode items = NODES.arrayNode();
        for (Object item : (Collection<?>) value) {
          items.add(value(item, schema.getElementType()));
        }
        yield items;
      }
      case MAP -> {
        ObjectNode entries = NODES.objectNode();
        new TreeMap<>((Map<?, ?>) value)
            .forEach((k, v) -> entries.set(k.toString(), value(v, schema.getValueType())));
        yield entries;
      }
      case INT ->
          value instanceof LocalDate date
              ? NODES.textNode(date.toString())
              : NODES.numberNode((Integer) value);
      case LONG ->
          value instanceof Instant instant
              ? NODES.textNode(instant.toString())
              : NODES.numberNode((Long) value);
      case FLOAT -> NODES.numberNode((Float) value);
      case DOUBLE -> NODES.numberNode((Double) value);
      case BOOLEAN -> NODES.booleanNode((Boolean) value);
      default -> NODES.textNode(value.toString()); // strings, enums
    };
  }

  /** The one non-null branch of an optional field (the only unions the contracts use). */
  private static Schema nonNull(Schema union) {
    return union.getTypes().stream()
        .filter(t -> t.getType() != Schema.Type.NULL)
        .findFirst()
        .orElseThrow();
  }
}

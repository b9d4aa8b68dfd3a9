package dev.engage.schemas.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.schemas.time.IsoInstants;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads plain JSON, as people write it, into an Avro-generated type: optional fields may be left
 * out or null (no Avro union wrappers), timestamps are ISO-8601 date-times (or epoch milliseconds),
 * dates are ISO dates, enums their symbol. Every problem is reported with the field's path ({@code
 * passengers[2].lastName: is required}), all at once.
 *
 * <p>Avro's own JSON decoder needs Avro's JSON encoding (unions wrapped as {@code {"string":
 * "x"}}), which no API caller should have to write; hence this small converter.
 */
public final class JsonToAvro {
  private JsonToAvro() {}

  /** The record, or {@link InvalidJsonException} listing every problem with its path. */
  public static <T extends SpecificRecord> T read(JsonNode json, Class<T> type) {
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = model.getSchema(type);
    List<String> problems = new ArrayList<>();
    Object generic = convert(json, schema, "", problems);
    if (!problems.isEmpty()) {
      throw new InvalidJsonException(problems);
    }
    @SuppressWarnings("unchecked")
    T record = (T) model.deepCopy(schema, generic);
    return record;
  }

  private static Object convert(JsonNode json, Schema schema, String path, List<String> problems) {
    switch (schema.getType()) {
      case UNION:
        return union(json, schema, path, problems);
      case RECORD:
        return record(json, schema, path, problems);
      case ARRAY:
        if (!json.isArray()) {
          return problem(problems, path, "must be an array");
        }
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
          items.add(convert(json.get(i), schema.getElementType(), path + "[" + i + "]", problems));
        }
        return items;
      case MAP:
        if (!json.isObject()) {
          return problem(problems, path, "must be an object");
        }
        Map<String, Object> map = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          map.put(
              field.getKey(),
              convert(
                  field.getValue(), schema.getValueType(), join(path, field.getKey()), problems));
        }
        return map;
      case ENUM:
        if (!json.isTextual() || !schema.getEnumSymbols().contains(json.asText())) {
          return problem(problems, path, "must be one of " + schema.getEnumSymbols());
        }
        return new GenericData.EnumSymbol(schema, json.asText());
      case STRING:
        if (!json.isValueNode() || json.isNull()) {
          return problem(problems, path, "must be a string");
        }
        return json.asText();
      case BOOLEAN:
        if (!json.isBoolean()) {
          return problem(problems, path, "must be true or false");
        }
        return json.asBoolean();
      case INT:
        if (schema.getLogicalType() instanceof LogicalTypes.Date) {
          return date(json, path, problems);
        }
        if (!json.canConvertToInt() || !json.isIntegralNumber()) {
          return problem(problems, path, "must be a whole number");
        }
        return json.asInt();
      case LONG:
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
          return timestamp(json, path, problems);
        }
        if (!json.isIntegralNumber()) {
          return problem(problems, path, "must be a whole number");
        }
        return json.asLong();
      case FLOAT:
      case DOUBLE:
        if (!json.isNumber()) {
          return problem(problems, path, "must be a number");
        }
        return schema.getType() == Schema.Type.FLOAT ? (Object) json.floatValue() : json.asDouble();
      case BYTES:
        return ByteBuffer.wrap(json.asText().getBytes(StandardCharsets.UTF_8));
      case NULL:
        return json.isNull() ? null : problem(problems, path, "must be null");
      default:
        return problem(problems, path, "has an unsupported type " + schema.getType());
    }
  }

  private static Object union(JsonNode json, Schema schema, String path, List<String> problems) {
    boolean nullable = schema.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL);
    if (json == null || json.isNull() || json.isMissingNode()) {
      return nullable ? null : problem(problems, path, "is required");
    }
    List<Schema> branches =
        schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
    if (branches.size() != 1) {
      return problem(problems, path, "has a union type this converter does not support");
    }
    return convert(json, branches.get(0), path, problems);
  }

  private static Object record(JsonNode json, Schema schema, String path, List<String> problems) {
    if (!json.isObject()) {
      return problem(problems, path, "must be an object");
    }
    GenericData.Record record = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      JsonNode value = json.get(field.name());
      String fieldPath = join(path, field.name());
      if (value == null || value.isNull()) {
        if (field.hasDefaultValue()) {
          record.put(field.pos(), GenericData.get().getDefaultValue(field));
        } else if (field.schema().isNullable()) {
          record.put(field.pos(), null);
        } else {
          problem(problems, fieldPath, "is required");
        }
      } else {
        record.put(field.pos(), convert(value, field.schema(), fieldPath, problems));
      }
    }
    Iterator<String> names = json.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (schema.getField(name) == null) {
        problem(problems, join(path, name), "is not a field of " + schema.getName());
      }
    }
    return record;
  }

  private static Object timestamp(JsonNode json, String path, List<String> problems) {
    // Instant and LocalDate, as the generated classes' conversions expect them
    if (json.isIntegralNumber()) {
      return Instant.ofEpochMilli(json.asLong());
    }
    try {
      return IsoInstants.parse(json.asText());
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(json.asText());
      } catch (DateTimeParseException again) {
        return problem(
            problems, path, "must be an ISO-8601 date-time such as 2026-11-23T14:05:00Z");
      }
    }
  }

  private static Object date(JsonNode json, String path, List<String> problems) {
    try {
      return LocalDate.parse(json.asText());
    } catch (DateTimeParseException e) {
      return problem(problems, path, "must be an ISO date such as 2026-11-23");
    }
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static Object problem(List<String> problems, String path, String what) {
    problems.add((path.isEmpty() ? "body" : path) + ": " + what);
    return null;
  }
}

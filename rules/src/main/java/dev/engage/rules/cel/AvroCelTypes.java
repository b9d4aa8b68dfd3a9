package dev.engage.rules.cel;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * CEL types for Avro records, so conditions are type-checked against the same schemas the topics
 * carry: a record becomes a CEL struct, {@code string} and enums CEL strings, {@code int}/{@code
 * long} CEL ints, {@code float}/{@code double} doubles, timestamps CEL timestamps, arrays lists and
 * maps maps. An optional field ({@code ["null", X]}) has type X; test it with {@code has(...)}.
 */
public final class AvroCelTypes implements CelTypeProvider {
  private final Map<String, StructType> structs = new LinkedHashMap<>();
  private final Set<String> fieldNames = new TreeSet<>();

  public AvroCelTypes(Schema... roots) {
    for (Schema root : roots) {
      typeOf(root);
    }
  }

  /** The struct type of a record schema registered here. */
  public StructType struct(Schema record) {
    return structs.get(record.getFullName());
  }

  /** Every field name of every struct, for "did you mean" suggestions. */
  public Set<String> fieldNames() {
    return fieldNames;
  }

  @Override
  public ImmutableCollection<CelType> types() {
    return ImmutableList.copyOf(structs.values());
  }

  @Override
  public Optional<CelType> findType(String name) {
    return Optional.ofNullable(structs.get(name));
  }

  private CelType typeOf(Schema schema) {
    switch (schema.getType()) {
      case RECORD:
        return structOf(schema);
      case UNION:
        return schema.getTypes().stream()
            .filter(t -> t.getType() != Schema.Type.NULL)
            .findFirst()
            .map(this::typeOf)
            .orElse(SimpleType.NULL_TYPE);
      case ARRAY:
        return ListType.create(typeOf(schema.getElementType()));
      case MAP:
        return MapType.create(SimpleType.STRING, typeOf(schema.getValueType()));
      case STRING:
      case ENUM:
        return SimpleType.STRING;
      case INT:
        return schema.getLogicalType() instanceof LogicalTypes.Date
            ? SimpleType.STRING
            : SimpleType.INT;
      case LONG:
        return schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
            ? SimpleType.TIMESTAMP
            : SimpleType.INT;
      case FLOAT:
      case DOUBLE:
        return SimpleType.DOUBLE;
      case BOOLEAN:
        return SimpleType.BOOL;
      case BYTES:
      case FIXED:
        return SimpleType.BYTES;
      default:
        return SimpleType.NULL_TYPE;
    }
  }

  private StructType structOf(Schema record) {
    StructType known = structs.get(record.getFullName());
    if (known != null) {
      return known;
    }
    Map<String, CelType> fields = new LinkedHashMap<>();
    StructType struct =
        StructType.create(
            record.getFullName(),
            ImmutableSet.copyOf(record.getFields().stream().map(Schema.Field::name).toList()),
            name -> Optional.ofNullable(fields.get(name)));
    // registered before its fields are typed, so recursive records terminate
    structs.put(record.getFullName(), struct);
    for (Schema.Field field : record.getFields()) {
      fields.put(field.name(), typeOf(field.schema()));
      fieldNames.add(field.name());
    }
    return struct;
  }
}

package dev.engage.schemas.serde.flink;

import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.serde.AvroWireCodec;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * Flink deserialization schema reading Confluent wire-format Avro into a generated type. The
 * produced type is Avro type information, so records travel and sit in state as Avro, never through
 * Kryo.
 */
public final class AvroWireDeserializationSchema<T extends SpecificRecordBase>
    implements DeserializationSchema<T> {
  private static final long serialVersionUID = 1L;

  private final String registryUrl;
  private final Class<T> type;
  private transient AvroWireCodec<T> codec;

  public AvroWireDeserializationSchema(String registryUrl, Class<T> type) {
    this.registryUrl = registryUrl;
    this.type = type;
  }

  @Override
  public void open(InitializationContext context) {
    codec = new AvroWireCodec<>(new SchemaRegistryClient(registryUrl), type);
  }

  @Override
  public T deserialize(byte[] message) {
    return codec.decode(message);
  }

  @Override
  public boolean isEndOfStream(T nextElement) {
    return false;
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return new AvroTypeInfo<>(type);
  }
}

package dev.engage.schemas.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/** Kafka deserializer reading Confluent wire-format Avro into a generated type. */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
  private final AvroWireCodec<T> codec;

  public AvroDeserializer(AvroWireCodec<T> codec) {
    this.codec = codec;
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return codec.decode(data);
  }
}

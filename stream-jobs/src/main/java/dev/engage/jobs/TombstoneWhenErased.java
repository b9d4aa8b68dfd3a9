package dev.engage.jobs;

import dev.engage.avro.CustomerProfile;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Profile versions as their Avro bytes, except an erased customer's last version, which becomes a
 * tombstone (no value): compaction then removes everything the topic held about the customer.
 */
final class TombstoneWhenErased implements SerializationSchema<CustomerProfile> {
  private static final long serialVersionUID = 1L;

  private final SerializationSchema<CustomerProfile> avro;

  TombstoneWhenErased(SerializationSchema<CustomerProfile> avro) {
    this.avro = avro;
  }

  @Override
  public void open(InitializationContext context) throws Exception {
    avro.open(context);
  }

  @Override
  public byte[] serialize(CustomerProfile profile) {
    return profile.getErasedAt() != null ? null : avro.serialize(profile);
  }
}

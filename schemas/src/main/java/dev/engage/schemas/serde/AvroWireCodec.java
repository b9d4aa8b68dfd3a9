package dev.engage.schemas.serde;

import dev.engage.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one Avro-generated type in Confluent's wire format.
 *
 * <p>Encoding registers the type's schema under the given subject once and frames the Avro binary
 * with its id. Decoding fetches the writer's schema by id (once per id) and resolves it to the
 * type's own schema, so records written with an older or newer compatible schema read fine.
 */
public final class AvroWireCodec<T extends SpecificRecord> {
  private final SchemaRegistryClient registry;
  private final Class<T> type;
  private final Schema schema;
  private final SpecificData model;
  private final SpecificDatumWriter<T> writer;
  private final Map<Integer, DatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

  public AvroWireCodec(SchemaRegistryClient registry, Class<T> type) {
    this.registry = registry;
    this.type = type;
    this.model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.writer = new SpecificDatumWriter<>(schema, model);
  }

  public Class<T> type() {
    return type;
  }

  /** The record in wire format, its schema registered under {@code subject}; null stays null. */
  public byte[] encode(String subject, T record) {
    if (record == null) {
      return null;
    }
    int id = registry.register(subject, schema);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
      throw new SerdeException(
          "cannot encode " + type.getSimpleName() + " for " + subject + ": " + e.getMessage(), e);
    }
    byte[] payload = out.toByteArray();
    ByteBuffer framed = ConfluentWireFormat.withHeader(id, payload.length);
    framed.put(payload);
    return framed.array();
  }

  /** The record from wire format; null (a tombstone) stays null. */
  public T decode(byte[] framed) {
    if (framed == null) {
      return null;
    }
    int writerId = ConfluentWireFormat.schemaId(framed);
    DatumReader<T> reader = readersByWriterId.get(writerId);
    if (reader == null) {
      // Fetched outside computeIfAbsent: a registry call must not block the map.
      reader = readerFor(writerId);
      readersByWriterId.putIfAbsent(writerId, reader);
    }
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(
                framed,
                ConfluentWireFormat.HEADER_SIZE,
                framed.length - ConfluentWireFormat.HEADER_SIZE,
                null);
    try {
      return reader.read(null, decoder);
    } catch (IOException | AvroRuntimeException e) {
      throw new SerdeException(
          "cannot decode "
              + type.getSimpleName()
              + " written with schema id "
              + writerId
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private DatumReader<T> readerFor(int writerId) {
    Schema writerSchema = registry.schemaById(writerId);
    return new SpecificDatumReader<>(writerSchema, schema, model);
  }
}

package dev.engage.schemas.serde;

import java.nio.ByteBuffer;

/**
 * Confluent's wire format: magic byte 0, the writer schema's registry id as a 4-byte big-endian
 * int, then the Avro binary encoding.
 */
public final class ConfluentWireFormat {
  public static final byte MAGIC_BYTE = 0;
  public static final int HEADER_SIZE = 5;

  private ConfluentWireFormat() {}

  /** Writes the 5-byte header for the schema id at the start of a new buffer of given size. */
  static ByteBuffer withHeader(int schemaId, int payloadSize) {
    ByteBuffer buffer = ByteBuffer.allocate(HEADER_SIZE + payloadSize);
    buffer.put(MAGIC_BYTE).putInt(schemaId);
    return buffer;
  }

  /** The schema id of a framed payload; rejects payloads that are not in this format. */
  public static int schemaId(byte[] framed) {
    if (framed.length < HEADER_SIZE) {
      throw new SerdeException(
          "not Confluent wire format: " + framed.length + " bytes, need at least " + HEADER_SIZE);
    }
    if (framed[0] != MAGIC_BYTE) {
      throw new SerdeException(
          "not Confluent wire format: magic byte is " + framed[0] + ", expected " + MAGIC_BYTE);
    }
    return ByteBuffer.wrap(framed, 1, 4).getInt();
  }
}

package dev.engage.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfluentWireFormatTest {

  @Test
  void headerIsMagicByteZeroThenBigEndianSchemaId() {
    byte[] framed =
        ConfluentWireFormat.withHeader(0x01020304, 2).put((byte) 7).put((byte) 8).array();

    assertThat(framed).containsExactly(0, 1, 2, 3, 4, 7, 8);
    assertThat(ConfluentWireFormat.schemaId(framed)).isEqualTo(0x01020304);
  }

  @Test
  void payloadWithAnotherMagicByteIsRefusedWithTheReason() {
    assertThatThrownBy(() -> ConfluentWireFormat.schemaId(new byte[] {1, 0, 0, 0, 1, 9}))
        .isInstanceOf(SerdeException.class)
        .hasMessageContaining("magic byte is 1, expected 0");
  }

  @Test
  void payloadShorterThanTheHeaderIsRefused() {
    assertThatThrownBy(() -> ConfluentWireFormat.schemaId(new byte[] {0, 0, 1}))
        .isInstanceOf(SerdeException.class)
        .hasMessageContaining("3 bytes, need at least 5");
  }
}

package dev.engage.ingestion.collector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TruncatedIpTest {
  @Test
  void ipv4LosesItsLastOctet() {
    assertThat(TruncatedIp.of("203.0.113.77")).contains("203.0.113.0");
    assertThat(TruncatedIp.of(" 10.1.2.255 ")).contains("10.1.2.0");
  }

  @Test
  void ipv6KeepsItsFirst48Bits() {
    assertThat(TruncatedIp.of("2001:db8:85a3:8d3:1319:8a2e:370:7348")).contains("2001:db8:85a3::");
    assertThat(TruncatedIp.of("2001:0DB8::1")).contains("2001:db8::");
    assertThat(TruncatedIp.of("fe80::1%eth0")).contains("fe80::");
  }

  @Test
  void anIpv4MappedIpv6AddressIsTruncatedAsIpv4() {
    assertThat(TruncatedIp.of("::ffff:198.51.100.23")).contains("198.51.100.0");
  }

  @Test
  void whatIsNoAddressLiteralIsDroppedWithoutAskingDns() {
    assertThat(TruncatedIp.of(null)).isEmpty();
    assertThat(TruncatedIp.of("")).isEmpty();
    assertThat(TruncatedIp.of("localhost")).isEmpty();
    assertThat(TruncatedIp.of("shop.example.com")).isEmpty();
    assertThat(TruncatedIp.of("zz:1")).isEmpty();
    assertThat(TruncatedIp.of("999.1.1.1")).isEmpty();
  }
}

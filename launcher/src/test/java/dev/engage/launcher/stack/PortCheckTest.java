package dev.engage.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engage.launcher.config.SettingSources;
import dev.engage.launcher.config.StackConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortCheckTest {

  @Test
  void freePortsPass() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("api.port", SharedStack.freePort());
    ports.put("ingestion.port", SharedStack.freePort());
    assertThatCode(() -> PortCheck.requireFree(ports)).doesNotThrowAnyException();
  }

  @Test
  void aTakenPortIsNamedWithTheSettingThatMovesIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();
      Map<String, Integer> ports = new LinkedHashMap<>();
      ports.put("redis.port", SharedStack.freePort());
      ports.put("api.port", port);
      assertThatThrownBy(() -> PortCheck.requireFree(ports))
          .isInstanceOf(ServiceException.class)
          .hasMessage(
              "port "
                  + port
                  + " (api.port) is already in use by another program. Stop it, or choose"
                  + " another port, e.g. --set api.port="
                  + (port + 100));
    }
  }

  @Test
  void aListenerOnLoopbackOnlyIsFoundToo() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Map<String, Integer> ports = Map.of("mail.web-port", taken.getLocalPort());
      assertThatThrownBy(() -> PortCheck.requireFree(ports))
          .hasMessageContaining("(mail.web-port) is already in use");
    }
  }

  @Test
  void everyClashIsListedAtOnce() throws Exception {
    try (ServerSocket first = new ServerSocket(0);
        ServerSocket second = new ServerSocket(0)) {
      Map<String, Integer> ports = new LinkedHashMap<>();
      ports.put("kafka.port", first.getLocalPort());
      ports.put("delivery.port", second.getLocalPort());
      assertThatThrownBy(() -> PortCheck.requireFree(ports))
          .hasMessageContaining("(kafka.port)")
          .hasMessageContaining("(delivery.port)");
    }
  }

  @Test
  void twoSettingsWithOnePortAreRefused() {
    int port = SharedStack.freePort();
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("ingestion.port", port);
    ports.put("api.port", port);
    assertThatThrownBy(() -> PortCheck.requireFree(ports))
        .hasMessage("ingestion.port and api.port are both " + port + ": give api.port another");
  }

  @Test
  void theCheckCoversThePortsOfEveryEnabledServiceAndNoOther() {
    StackConfig everything = StackConfig.from(new SettingSources());
    assertThat(PortCheck.ports(everything))
        .containsOnlyKeys(
            "redis.port",
            "kafka.port",
            "kafka.controller-port",
            "registry.port",
            "ingestion.port",
            "jobs.rest-port",
            "api.port",
            "delivery.port",
            "mail.smtp-port",
            "mail.web-port")
        .containsEntry("api.port", 8080);
    StackConfig withoutApi =
        StackConfig.from(new SettingSources().withFlags(Map.of("api.enabled", "false")));
    assertThat(PortCheck.ports(withoutApi)).doesNotContainKey("api.port");
  }
}

package dev.engage.launcher.stack;

import dev.engage.launcher.config.StackConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Before the stack starts anything: every port its services will listen on is free, and no two
 * settings name the same port. Otherwise one message names each clash and the setting that moves
 * it, instead of a service failing half-way through the start with a {@code BindException}.
 */
public final class PortCheck {
  private PortCheck() {}

  /** The ports the enabled services listen on, by the setting that chooses each. */
  public static Map<String, Integer> ports(StackConfig config) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("redis.port", config.redisPort());
    ports.put("kafka.port", config.kafkaPort());
    ports.put("kafka.controller-port", config.controllerPort());
    ports.put("registry.port", config.registryPort());
    if (config.ingestionEnabled()) {
      ports.put("ingestion.port", config.ingestionPort());
    }
    if (config.jobsEnabled()) {
      ports.put("jobs.rest-port", config.jobsRestPort());
    }
    if (config.jobsEnabled() && config.jobsOnCluster()) {
      ports.put("jobs.rpc-port", config.jobsRpcPort());
    }
    if (config.apiEnabled()) {
      ports.put("api.port", config.apiPort());
    }
    if (config.deliveryEnabled()) {
      ports.put("delivery.port", config.deliveryPort());
      ports.put("mail.smtp-port", config.mailSmtpPort());
      ports.put("mail.web-port", config.mailWebPort());
    }
    return ports;
  }

  /** Fails, naming every setting whose port is shared or taken, unless all are free. */
  public static void requireFree(Map<String, Integer> ports) {
    List<String> problems = new ArrayList<>();
    Map<Integer, String> firstSetting = new LinkedHashMap<>();
    ports.forEach(
        (setting, port) -> {
          String other = firstSetting.putIfAbsent(port, setting);
          if (other != null) {
            problems.add(
                other + " and " + setting + " are both " + port + ": give " + setting + " another");
          } else if (!free(port)) {
            problems.add(
                "port "
                    + port
                    + " ("
                    + setting
                    + ") is already in use by another program. Stop it, or choose another port,"
                    + " e.g. --set "
                    + setting
                    + "="
                    + (port + 100));
          }
        });
    if (!problems.isEmpty()) {
      throw new ServiceException(String.join("\n", problems));
    }
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      // TIME_WAIT leftovers of a service that just stopped do not keep it from binding again
      socket.setReuseAddress(true);
      // the wildcard address clashes with a listener on any interface, as the services' binds do
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}

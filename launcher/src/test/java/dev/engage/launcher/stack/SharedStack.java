package dev.engage.launcher.stack;

import dev.engage.launcher.config.SettingSources;
import dev.engage.launcher.config.StackConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real local stack (redis-server, Kafka broker, registry, each its own process) shared by every
 * test class of the run, started on free ports in a fresh directory under target/ and stopped when
 * the run ends. Test methods may ask for the {@link LocalStack} or its {@link StackConfig} as
 * parameters.
 */
public final class SharedStack implements BeforeAllCallback, ParameterResolver {
  private static LocalStack stack;
  private static StackConfig config;
  private static final Set<Integer> handedOut = new HashSet<>();

  @Override
  public void beforeAll(ExtensionContext context) {
    start(context);
  }

  private static synchronized void start(ExtensionContext context) {
    if (stack != null) {
      return;
    }
    config = freshConfig("shared");
    stack = new LocalStack(config, new PrintWriter(System.out, true));
    stack.start();
    ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
    store.put(SharedStack.class, (ExtensionContext.Store.CloseableResource) stack::stop);
  }

  /** A stack configuration on free ports in a new directory under target/test-stacks. */
  public static StackConfig freshConfig(String name) {
    return freshConfig(name, Map.of());
  }

  /** The same, with some settings changed (say, {@code jobs.enabled=true}). */
  public static StackConfig freshConfig(String name, Map<String, String> overrides) {
    Map<String, String> flags = new HashMap<>();
    flags.put(
        "data-dir",
        Path.of("target", "test-stacks", name + "-" + System.currentTimeMillis()).toString());
    flags.put("kafka.port", Integer.toString(freePort()));
    flags.put("kafka.controller-port", Integer.toString(freePort()));
    flags.put("registry.port", Integer.toString(freePort()));
    flags.put("redis.port", Integer.toString(freePort()));
    flags.put("kafka.host", "127.0.0.1");
    // the ingestion module is built after this one; its tests start the service themselves
    flags.put("ingestion.enabled", "false");
    flags.put("ingestion.port", Integer.toString(freePort()));
    flags.put("jobs.enabled", "false");
    flags.put("jobs.rest-port", Integer.toString(freePort()));
    // the serving-api module is built last; its tests start the API themselves
    flags.put("api.enabled", "false");
    flags.put("api.port", Integer.toString(freePort()));
    // the delivery module is built after this one; its tests start the service themselves
    flags.put("delivery.enabled", "false");
    flags.put("delivery.port", Integer.toString(freePort()));
    flags.put("mail.smtp-port", Integer.toString(freePort()));
    flags.put("mail.web-port", Integer.toString(freePort()));
    flags.putAll(overrides);
    return StackConfig.from(new SettingSources().withFlags(flags));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalStack.class || type == StackConfig.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    start(context);
    return parameter.getParameter().getType() == LocalStack.class ? stack : config;
  }

  /**
   * A port nothing listens on right now and that this run has not handed out before. The kernel may
   * give the same ephemeral port to two consecutive probes, so ports already handed out (say, to a
   * stack that has not started yet) are skipped.
   */
  public static synchronized int freePort() {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0)) {
        int port = socket.getLocalPort();
        if (handedOut.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

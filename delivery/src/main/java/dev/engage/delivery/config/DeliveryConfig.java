package dev.engage.delivery.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.engage.delivery.config.ProviderConfig.SmtpConfig;
import dev.engage.schemas.signing.WebhookSignature;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The delivery file ({@code delivery.yaml}): the sender address, where unsubscribe links point, the
 * providers of each channel, and the retry and circuit-breaker policy. Read and validated at
 * start-up; every mistake is reported with the setting it is in.
 *
 * <pre>
 * from: "Engage &lt;notifications@engage.local&gt;"
 * unsubscribeUrl: http://localhost:8080/v1/unsubscribe
 * retry: {maxAttempts: 6, firstDelay: 1s, maxDelay: 30s}
 * breaker: {failures: 5, openFor: 15s}
 * providers:
 *   - {name: smtp, channel: email, smtp: {host: localhost, port: 3025}, ratePerSecond: 200}
 *   - {name: local-sms, channel: sms, url: http://localhost:8025/sms, secret: whsec_...}
 * </pre>
 */
public record DeliveryConfig(
    InternetAddress from,
    URI unsubscribeUrl,
    Retry retry,
    Breaker breaker,
    Map<String, ProviderConfig> providers) {

  /** Channels a notification may name. {@code in_app} needs no provider: it is the inbox. */
  public static final Set<String> CHANNELS = Set.of("email", "sms", "push", "in_app");

  private static final Set<String> WEBHOOK_CHANNELS = Set.of("sms", "push");

  /** How often and how patiently a provider is tried again after a 5xx, a 429 or a timeout. */
  public record Retry(int maxAttempts, Duration firstDelay, Duration maxDelay) {}

  /** After {@code failures} failures in a row a provider is left alone for {@code openFor}. */
  public record Breaker(int failures, Duration openFor) {}

  /** The provider that first takes a channel's notifications: the first one listed for it. */
  public Optional<ProviderConfig> primaryFor(String channel) {
    return providers.values().stream().filter(p -> p.channel().equals(channel)).findFirst();
  }

  /**
   * @throws IllegalArgumentException naming the file and setting of the first mistake
   */
  public static DeliveryConfig load(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
    try {
      return parse(root == null ? new ObjectMapper().createObjectNode() : root);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage());
    }
  }

  static DeliveryConfig parse(JsonNode root) {
    onlyKnown(root, "", Set.of("from", "unsubscribeUrl", "retry", "breaker", "providers"));
    JsonNode retry = root.path("retry");
    onlyKnown(retry, "retry.", Set.of("maxAttempts", "firstDelay", "maxDelay"));
    JsonNode breaker = root.path("breaker");
    onlyKnown(breaker, "breaker.", Set.of("failures", "openFor"));
    Map<String, ProviderConfig> providers = new LinkedHashMap<>();
    List<JsonNode> listed = new ArrayList<>();
    root.path("providers").forEach(listed::add);
    for (int i = 0; i < listed.size(); i++) {
      ProviderConfig provider = provider(listed.get(i), "providers[" + i + "].");
      if (providers.put(provider.name(), provider) != null) {
        throw new IllegalArgumentException(
            "providers[" + i + "].name: '" + provider.name() + "' is listed twice");
      }
    }
    providers.values().forEach(p -> checkFallback(p, providers));
    return new DeliveryConfig(
        from(root.path("from").asText("Engage <notifications@engage.local>")),
        uri(
            "unsubscribeUrl",
            root.path("unsubscribeUrl").asText("http://localhost:8080/v1/unsubscribe")),
        new Retry(
            positive("retry.maxAttempts", retry.path("maxAttempts").asInt(6)),
            duration("retry.firstDelay", retry.path("firstDelay").asText("1s")),
            duration("retry.maxDelay", retry.path("maxDelay").asText("30s"))),
        new Breaker(
            positive("breaker.failures", breaker.path("failures").asInt(5)),
            duration("breaker.openFor", breaker.path("openFor").asText("15s"))),
        Collections.unmodifiableMap(providers)); // listing order: the first of a channel leads
  }

  private static InternetAddress from(String text) {
    try {
      return new InternetAddress(text, true);
    } catch (AddressException e) {
      throw new IllegalArgumentException("from: '" + text + "' is not an email address");
    }
  }

  private static ProviderConfig provider(JsonNode node, String at) {
    onlyKnown(
        node,
        at,
        Set.of("name", "channel", "url", "secret", "smtp", "timeout", "ratePerSecond", "fallback"));
    String name = required(node, at, "name");
    String channel = required(node, at, "channel");
    if (!CHANNELS.contains(channel) || channel.equals("in_app")) {
      throw new IllegalArgumentException(
          at + "channel: '" + channel + "' is not email, sms or push");
    }
    URI url = null;
    String secret = null;
    SmtpConfig smtp = null;
    if (WEBHOOK_CHANNELS.contains(channel)) {
      url = uri(at + "url", required(node, at, "url"));
      secret = required(node, at, "secret");
      try {
        WebhookSignature.of(secret);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + "secret: " + e.getMessage());
      }
    } else {
      JsonNode s = node.path("smtp");
      onlyKnown(s, at + "smtp.", Set.of("host", "port", "username", "password", "startTls"));
      smtp =
          new SmtpConfig(
              s.path("host").asText("localhost"),
              positive(at + "smtp.port", s.path("port").asInt(25)),
              s.hasNonNull("username") ? s.get("username").asText() : null,
              s.hasNonNull("password") ? s.get("password").asText() : null,
              s.path("startTls").asBoolean(false));
    }
    double rate = node.path("ratePerSecond").asDouble(100);
    if (!(rate > 0)) {
      throw new IllegalArgumentException(at + "ratePerSecond: must be above 0, was " + rate);
    }
    return new ProviderConfig(
        name,
        channel,
        url,
        secret,
        smtp,
        duration(at + "timeout", node.path("timeout").asText("10s")),
        rate,
        node.hasNonNull("fallback") ? node.get("fallback").asText() : null);
  }

  private static void checkFallback(ProviderConfig p, Map<String, ProviderConfig> all) {
    if (p.fallback() == null) {
      return;
    }
    ProviderConfig fallback = all.get(p.fallback());
    if (fallback == null || !fallback.channel().equals(p.channel()) || fallback == p) {
      throw new IllegalArgumentException(
          "provider "
              + p.name()
              + ": fallback '"
              + p.fallback()
              + "' is not another provider of channel "
              + p.channel());
    }
  }

  private static void onlyKnown(JsonNode node, String at, Set<String> known) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            at + name + ": unknown setting (known: " + String.join(", ", known) + ")");
      }
    }
  }

  private static String required(JsonNode node, String at, String field) {
    if (!node.hasNonNull(field) || node.get(field).asText().isBlank()) {
      throw new IllegalArgumentException(at + field + ": missing");
    }
    return node.get(field).asText();
  }

  private static int positive(String setting, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(setting + ": must be at least 1, was " + value);
    }
    return value;
  }

  private static Duration duration(String setting, String text) {
    return Durations.parse(setting, text);
  }

  private static URI uri(String setting, String text) {
    try {
      URI uri = URI.create(text);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(setting + ": '" + text + "' is not an http(s) URL");
    }
  }
}

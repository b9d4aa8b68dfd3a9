package dev.engage.api.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.engage.schemas.signing.WebhookSignature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The delivery providers whose reports {@code POST /v1/receipts/{provider}} accepts, each with the
 * channel it delivers on and the secret its reports are signed with (Standard Webhooks), from the
 * file {@code --receipt-secrets} names:
 *
 * <pre>
 * providers:
 *   - { name: sms-gateway, channel: sms, secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw }
 *   - { name: push-gateway, channel: push, secret: whsec_... }
 * </pre>
 */
public final class ReceiptProviders {
  private static final String OPTION = "--receipt-secrets";
  private static final Set<String> CHANNELS = Set.of("email", "sms", "push");

  /** One provider: its name (the route's {@code {provider}}), channel and signature check. */
  public record Provider(String name, String channel, WebhookSignature signature) {}

  private final Map<String, Provider> byName = new LinkedHashMap<>();

  public ReceiptProviders(List<Provider> providers) {
    for (Provider provider : providers) {
      if (byName.putIfAbsent(provider.name(), provider) != null) {
        throw new IllegalArgumentException(
            OPTION + ": provider '" + provider.name() + "' is listed twice");
      }
    }
  }

  /** No providers: every report is refused as from an unknown provider. */
  public static ReceiptProviders none() {
    return new ReceiptProviders(List.of());
  }

  /**
   * @throws IllegalArgumentException naming the option, the file and the entry that is wrong
   */
  public static ReceiptProviders load(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          OPTION + ": cannot read " + file + " (" + e.getMessage() + ")", e);
    }
    JsonNode list = root == null ? null : root.get("providers");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException(
          OPTION + ": " + file + " needs a list 'providers: [{name, channel, secret}]'");
    }
    List<Provider> providers = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      providers.add(provider(list.get(i), OPTION + ": " + file + ": providers[" + i + "]"));
    }
    return new ReceiptProviders(providers);
  }

  private static Provider provider(JsonNode entry, String where) {
    String name = entry.path("name").asText("");
    String channel = entry.path("channel").asText("");
    if (!name.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
      throw new IllegalArgumentException(
          where + ": 'name' must be 1 to 64 of a-z, 0-9, '-', '_' (it is the URL's {provider})");
    }
    if (!CHANNELS.contains(channel)) {
      throw new IllegalArgumentException(
          where + " (" + name + "): 'channel' must be one of email, sms, push");
    }
    try {
      return new Provider(name, channel, WebhookSignature.of(entry.path("secret").asText("")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " (" + name + "): 'secret': " + e.getMessage());
    }
  }

  public Optional<Provider> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}

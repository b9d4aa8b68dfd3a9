package dev.engage.rules.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.rules.cel.Condition;
import dev.engage.rules.cel.ConditionCompiler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads the fields of an offer ({@code kind: offer}) into an {@link Offer}. */
final class OfferReader {
  /** The channels an offer may be sent on; {@code preferred} is decided per customer. */
  static final Set<String> CHANNELS = Set.of("preferred", "email", "sms", "push", "in_app");

  private static final Set<String> FIELDS =
      Set.of(
          "kind",
          "id",
          "name",
          "description",
          "owner",
          "enabled",
          "eligibility",
          "code",
          "title",
          "template",
          "value",
          "channels",
          "priority",
          "ttl",
          "cooldown",
          "activeFrom",
          "activeUntil",
          "agent",
          "purpose");

  private final DefinitionReader in;

  OfferReader(DefinitionReader in) {
    this.in = in;
  }

  /** The offer, or {@link InvalidRuleException} listing every problem. */
  Offer read() {
    JsonNode root = in.root();
    in.rejectUnknown(root, "", FIELDS);
    String id = in.id();
    String name = in.text("name", true);
    Condition eligibility =
        root.has("eligibility")
            ? in.condition("eligibility", ConditionCompiler.Scope.PROFILE)
            : null;
    String code = in.actionCode("code");
    String title = root.has("title") ? in.text("title", true) : name;
    String template = in.text("template", false);
    List<String> channels = channels();
    if (!channels.isEmpty() && template == null) {
      in.report("template", "is required when the offer has channels to be sent on");
    }
    BusinessValue value = in.businessValue("value", ConditionCompiler.Scope.PROFILE);
    int priority = in.priority("priority");
    Duration ttl = root.has("ttl") ? in.duration("ttl") : Duration.ofDays(7);
    Duration cooldown = root.has("cooldown") ? in.duration("cooldown") : Duration.ofDays(7);
    Instant from = root.has("activeFrom") ? in.instant("activeFrom") : null;
    Instant until = root.has("activeUntil") ? in.instant("activeUntil") : null;
    if (from != null && until != null && !from.isBefore(until)) {
      in.report("activeUntil", "must be after activeFrom");
    }
    boolean agent = !root.has("agent") || root.path("agent").asBoolean(true);
    Purpose purpose = in.purpose();
    in.throwIfInvalid();
    return new Offer(
        id,
        name,
        in.text("description", false),
        in.text("owner", false),
        in.enabled(),
        eligibility,
        code,
        title,
        template,
        value,
        channels,
        priority,
        ttl,
        cooldown,
        from,
        until,
        agent,
        purpose,
        0);
  }

  private List<String> channels() {
    JsonNode channels = in.node("channels");
    List<String> read = new ArrayList<>();
    if (channels.isMissingNode() || channels.isNull()) {
      return read;
    }
    if (!channels.isArray()) {
      in.report("channels", "must be a list of channels, e.g. [email, in_app]");
      return read;
    }
    for (int i = 0; i < channels.size(); i++) {
      String path = "channels[" + i + "]";
      String channel = in.text(path, true);
      if (channel != null && !CHANNELS.contains(channel)) {
        in.report(
            path,
            "unknown channel '"
                + channel
                + "'"
                + DefinitionReader.suggestion(channel, CHANNELS)
                + "; channels are "
                + CHANNELS);
      } else if (channel != null && !read.contains(channel)) {
        read.add(channel);
      }
    }
    return read;
  }
}

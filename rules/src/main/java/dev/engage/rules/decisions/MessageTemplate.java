package dev.engage.rules.decisions;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a rule's or offer's template with the facts of the firing: {@code
 * {{event.attributes.summary}}} becomes the firing's value of that name; a name the firing has no
 * value for renders as nothing, so a template never shows its own braces to a customer.
 */
public final class MessageTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}\\s]+)\\s*}}");

  private MessageTemplate() {}

  public static String render(String template, Map<String, String> facts) {
    if (template == null) {
      return null;
    }
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(facts.getOrDefault(m.group(1), "")));
    }
    m.appendTail(out);
    return out.toString().strip();
  }
}

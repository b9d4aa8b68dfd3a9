package dev.engage.rules.definition;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML or JSON document read into a tree that remembers where each value is in the text, so a
 * problem with a value (or with a CEL expression inside it) can name its line and column.
 */
final class SourceTree {
  /** 1-based position in the source. */
  record Position(int line, int column) {}

  private final JsonNode root;
  private final Map<String, Position> positions;
  private final List<String> lines;

  private SourceTree(JsonNode root, Map<String, Position> positions, List<String> lines) {
    this.root = root;
    this.positions = positions;
    this.lines = lines;
  }

  /** Reads JSON when the text starts with '{', YAML otherwise. */
  static SourceTree parse(String text) {
    JsonFactory factory =
        text.stripLeading().startsWith("{") ? new JsonFactory() : new YAMLFactory();
    Map<String, Position> positions = new HashMap<>();
    try (JsonParser parser = factory.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new InvalidRuleException(
            List.of(new RuleProblem(1, 1, "", "the definition is empty")));
      }
      JsonNode root = read(parser, "", positions);
      return new SourceTree(root, positions, text.lines().toList());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new InvalidRuleException(
          List.of(
              new RuleProblem(
                  at == null ? 1 : Math.max(1, at.getLineNr()),
                  at == null ? 1 : Math.max(1, at.getColumnNr()),
                  "",
                  "not valid "
                      + (factory instanceof YAMLFactory ? "YAML" : "JSON")
                      + ": "
                      + e.getOriginalMessage())));
    } catch (IOException e) {
      throw new IllegalStateException("reading from a string failed", e);
    }
  }

  JsonNode root() {
    return root;
  }

  /** Where the value at the path starts; the nearest parent's position when it is absent. */
  Position positionOf(String path) {
    String probe = path;
    while (true) {
      Position position = positions.get(probe);
      if (position != null || probe.isEmpty()) {
        return position != null ? position : new Position(1, 1);
      }
      int cut = Math.max(probe.lastIndexOf('.'), probe.lastIndexOf('['));
      probe = cut < 0 ? "" : probe.substring(0, cut);
    }
  }

  /**
   * Where the field name of the path is written (for unknown fields): on the value's line, the last
   * occurrence of the name before the value. (The YAML parser reports a key at its value.)
   */
  Position keyPositionOf(String path) {
    Position value = positionOf(path);
    String name = path.substring(Math.max(path.lastIndexOf('.'), path.lastIndexOf(']')) + 1);
    String line = value.line() - 1 < lines.size() ? lines.get(value.line() - 1) : "";
    int index = line.lastIndexOf(name, Math.max(0, value.column() - 2));
    return index < 0 ? value : new Position(value.line(), index + 1);
  }

  /**
   * Where a position inside a string value lies in the source: quoted and plain scalars are on the
   * value's line; block scalars ({@code |}, {@code >}) start on the next line.
   */
  Position positionInside(String path, int lineInValue, int columnInValue) {
    Position value = positionOf(path);
    String line = value.line() - 1 < lines.size() ? lines.get(value.line() - 1) : "";
    char first = value.column() - 1 < line.length() ? line.charAt(value.column() - 1) : ' ';
    if (first == '|' || first == '>') {
      int target = value.line() + lineInValue;
      String text = target - 1 < lines.size() ? lines.get(target - 1) : "";
      int indent = text.length() - text.stripLeading().length();
      return new Position(target, indent + columnInValue);
    }
    int quote = first == '"' || first == '\'' ? 1 : 0;
    return new Position(value.line() + lineInValue - 1, value.column() + quote + columnInValue - 1);
  }

  private static JsonNode read(JsonParser parser, String path, Map<String, Position> positions)
      throws IOException {
    JsonLocation at = parser.currentTokenLocation();
    positions.put(path, new Position(at.getLineNr(), at.getColumnNr()));
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    switch (parser.currentToken()) {
      case START_OBJECT -> {
        ObjectNode object = nodes.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          String child = path.isEmpty() ? name : path + "." + name;
          parser.nextToken();
          object.set(name, read(parser, child, positions));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = nodes.arrayNode();
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(read(parser, path + "[" + index++ + "]", positions));
        }
        return array;
      }
      case VALUE_STRING -> {
        return nodes.textNode(parser.getText());
      }
      case VALUE_NUMBER_INT -> {
        return nodes.numberNode(parser.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return nodes.numberNode(parser.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return nodes.booleanNode(parser.getBooleanValue());
      }
      default -> {
        return nodes.nullNode();
      }
    }
  }
}

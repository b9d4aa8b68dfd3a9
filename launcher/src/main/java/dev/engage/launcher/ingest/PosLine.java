package dev.engage.launcher.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One receipt read from a point-of-sale export, or the reason its lines cannot be one.
 *
 * @param lines the file's line numbers the receipt came from (1-based)
 * @param event the receipt as a Segment track event, null when bad
 * @param text the lines as they were in the file
 */
record PosLine(List<Integer> lines, ObjectNode event, String reason, String text) {
  static PosLine good(List<Integer> lines, ObjectNode event, String text) {
    return new PosLine(List.copyOf(lines), event, null, text);
  }

  static PosLine bad(List<Integer> lines, String reason, String text) {
    return new PosLine(List.copyOf(lines), null, reason, text);
  }

  boolean isBad() {
    return reason != null;
  }
}

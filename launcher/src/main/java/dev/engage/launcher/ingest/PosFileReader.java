package dev.engage.launcher.ingest;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a point-of-sale export, streaming, and hands each receipt (or bad line) on with its line
 * numbers.
 *
 * <ul>
 *   <li>JSON lines ({@code .jsonl}, {@code .ndjson}, {@code .json}): one receipt per line, {@code
 *       {"receiptId","store","timestamp","loyaltyId","currency","items":[{"sku","name",
 *       "category","quantity","price"}]}}.
 *   <li>CSV ({@code .csv}) with a header {@code receipt_id,timestamp,store,loyalty_id,currency,
 *       sku,name,category,quantity,price}: one row per item; consecutive rows with the same
 *       receipt_id form one receipt.
 * </ul>
 */
final class PosFileReader {
  static final List<String> CSV_COLUMNS =
      List.of(
          "receipt_id",
          "timestamp",
          "store",
          "loyalty_id",
          "currency",
          "sku",
          "name",
          "category",
          "quantity",
          "price");
  private static final ObjectMapper JSON = new ObjectMapper();

  private PosFileReader() {}

  static void read(Path file, Consumer<PosLine> out) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      readCsv(file, out);
    } else if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
      readJsonLines(file, out);
    } else {
      throw new IllegalArgumentException(file + ": expected a .csv or .jsonl file");
    }
  }

  private static void readJsonLines(Path file, Consumer<PosLine> out) throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(file)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          out.accept(PosLine.good(List.of(number), PosReceipts.toEvent(JSON.readTree(line)), line));
        } catch (IOException e) {
          out.accept(
              PosLine.bad(
                  List.of(number),
                  "not JSON: " + e.getMessage().lines().findFirst().orElse(""),
                  line));
        } catch (IllegalArgumentException e) {
          out.accept(PosLine.bad(List.of(number), e.getMessage(), line));
        }
      }
    }
  }

  private static void readCsv(Path file, Consumer<PosLine> out) throws IOException {
    CsvMapper mapper = new CsvMapper();
    try (BufferedReader header = Files.newBufferedReader(file)) {
      String first = header.readLine();
      Set<String> columns = first == null ? Set.of() : Set.of(first.trim().split("\\s*,\\s*"));
      if (!columns.containsAll(CSV_COLUMNS)) {
        throw new IllegalArgumentException(
            file + ": the first line must name the columns " + String.join(",", CSV_COLUMNS));
      }
    }
    try (MappingIterator<Map<String, String>> rows =
        mapper
            .readerForMapOf(String.class)
            .with(CsvSchema.emptySchema().withHeader())
            .readValues(file.toFile())) {
      Receipt current = null;
      while (true) {
        Map<String, String> row;
        int number;
        try {
          if (!rows.hasNextValue()) {
            break;
          }
          row = rows.nextValue();
          number = rows.getParser().currentTokenLocation().getLineNr();
        } catch (IOException | RuntimeException e) {
          int at = rows.getCurrentLocation().getLineNr();
          out.accept(
              PosLine.bad(
                  List.of(at),
                  "unreadable CSV row: " + e.getMessage().lines().findFirst().orElse(""),
                  ""));
          continue;
        }
        String receiptId = row.getOrDefault("receipt_id", "").trim();
        if (current != null && !current.id.equals(receiptId)) {
          out.accept(current.toLine());
          current = null;
        }
        if (current == null) {
          current = new Receipt(receiptId, row);
        }
        current.add(number, row);
      }
      if (current != null) {
        out.accept(current.toLine());
      }
    }
  }

  /** CSV rows of one receipt, collected until the receipt id changes. */
  private static final class Receipt {
    final String id;
    final ObjectNode json = JSON.createObjectNode();
    final List<Integer> lines = new ArrayList<>();
    final StringBuilder text = new StringBuilder();

    Receipt(String id, Map<String, String> first) {
      this.id = id;
      json.put("receiptId", id)
          .put("timestamp", first.getOrDefault("timestamp", ""))
          .put("store", first.getOrDefault("store", ""))
          .put("loyaltyId", first.getOrDefault("loyalty_id", ""))
          .put("currency", first.getOrDefault("currency", "EUR"));
      json.putArray("items");
    }

    void add(int line, Map<String, String> row) {
      lines.add(line);
      text.append(text.isEmpty() ? "" : "\n").append(String.join(",", row.values()));
      ((ArrayNode) json.get("items"))
          .addObject()
          .put("sku", row.getOrDefault("sku", ""))
          .put("name", row.getOrDefault("name", ""))
          .put("category", row.getOrDefault("category", ""))
          .put("quantity", row.getOrDefault("quantity", "1"))
          .put("price", row.getOrDefault("price", ""));
    }

    PosLine toLine() {
      try {
        return PosLine.good(lines, PosReceipts.toEvent(json), text.toString());
      } catch (IllegalArgumentException e) {
        return PosLine.bad(lines, e.getMessage(), text.toString());
      }
    }
  }
}

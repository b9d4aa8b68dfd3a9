package dev.engage.launcher.ingest;

import java.io.PrintWriter;

/**
 * A progress line for long imports: redrawn in place on a terminal, a line per 10 % otherwise (CI
 * logs, pipes).
 */
final class Progress {
  private static final int WIDTH = 30;

  private final PrintWriter out;
  private final long total;
  private final boolean terminal = System.console() != null;
  private final long began = System.nanoTime();
  private long lastDrawn = -1;

  Progress(PrintWriter out, long total) {
    this.out = out;
    this.total = Math.max(1, total);
  }

  void at(long done) {
    long percent = Math.min(100, done * 100 / total);
    if (terminal ? System.nanoTime() - lastDrawn > 100_000_000L : percent / 10 != lastDrawn) {
      draw(done, percent);
      lastDrawn = terminal ? System.nanoTime() : percent / 10;
    }
  }

  void done() {
    draw(total, 100);
    if (terminal) {
      out.println();
    }
  }

  private void draw(long done, long percent) {
    int filled = (int) (WIDTH * percent / 100);
    String bar = "=".repeat(filled) + " ".repeat(WIDTH - filled);
    double seconds = (System.nanoTime() - began) / 1e9;
    String text =
        String.format("  [%s] %3d%%  %,d/%,d lines  %.1f s", bar, percent, done, total, seconds);
    if (terminal) {
      out.print("\r" + text);
      out.flush();
    } else {
      out.println(text);
    }
  }
}

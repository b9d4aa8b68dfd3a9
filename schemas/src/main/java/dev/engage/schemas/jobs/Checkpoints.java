package dev.engage.schemas.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checkpoints Flink keeps in a directory ({@code <job id>/chk-N/_metadata}, retained on
 * cancellation): the stream jobs resume from the newest, whether they run on a local MiniCluster or
 * are submitted to a cluster.
 */
public final class Checkpoints {
  private Checkpoints() {}

  /** The newest completed checkpoint under the directory, if there is one. */
  public static Optional<Path> newest(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files =
        Files.find(dir, 3, (path, attrs) -> path.getFileName().toString().equals("_metadata"))) {
      return files.map(Path::getParent).max(Comparator.comparingLong(Checkpoints::modified));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look for checkpoints in " + dir, e);
    }
  }

  private static long modified(Path path) {
    try {
      return Files.getLastModifiedTime(path).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}

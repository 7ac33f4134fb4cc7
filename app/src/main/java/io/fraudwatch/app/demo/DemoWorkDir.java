package io.fraudwatch.app.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The work directory of the demo, the bench and the backtest. Each run starts from scratch, so it
 * deletes the previous run's data first, but only in a directory that one of them made (it carries
 * {@link #MARKER}): a mistyped {@code --work-dir} never loses anything else.
 */
public final class DemoWorkDir {
  public static final String MARKER = ".fraudwatch-demo";

  private DemoWorkDir() {}

  /** Thrown when the directory holds something that a demo did not put there. */
  public static final class NotADemoDirectory extends RuntimeException {
    NotADemoDirectory(Path dir) {
      super(
          dir
              + " is not empty and was not made by 'fraudwatch demo', 'bench' or 'backtest' (no "
              + MARKER
              + " file in it);"
              + " refusing to wipe it. Pick another --work-dir or empty it yourself");
    }
  }

  /**
   * Makes {@code dir} an empty demo directory: creates it, or empties it if a previous demo made
   * it.
   *
   * @return whether a previous demo's data was deleted
   * @throws NotADemoDirectory when {@code dir} exists, is not empty and has no marker
   */
  public static boolean prepare(Path dir) throws IOException {
    boolean wiped = false;
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw new NotADemoDirectory(dir);
      }
      List<Path> entries;
      try (Stream<Path> list = Files.list(dir)) {
        entries = list.toList();
      }
      if (!entries.isEmpty()) {
        if (!Files.isRegularFile(dir.resolve(MARKER))) {
          throw new NotADemoDirectory(dir);
        }
        for (Path entry : entries) {
          deleteTree(entry);
        }
        wiped = true;
      }
    }
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(MARKER),
        "Made by 'fraudwatch demo', 'bench' or 'backtest', which delete this"
            + " directory's content on their next run.\n");
    return wiped;
  }

  /** Deletes a file or a directory tree; symbolic links are removed, never followed. */
  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

package io.fraudwatch.models.cli;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The handbook CSV files that {@code models train} and {@code rules test} read. */
final class CsvFiles {
  private CsvFiles() {}

  /** Refuses, with {@link Cli#NOT_FOUND}, a file that is not there or cannot be read. */
  static void requireReadable(List<Path> csv) {
    for (Path file : csv) {
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new CommandFailure(
            Cli.NOT_FOUND, "CSV file " + file + " does not exist or is not readable");
      }
    }
  }
}

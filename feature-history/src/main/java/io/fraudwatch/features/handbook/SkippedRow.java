package io.fraudwatch.features.handbook;

import java.nio.file.Path;

/** A data line that could not be parsed: where it is (1-based line number) and why. */
public record SkippedRow(Path file, long line, String reason) {

  @Override
  public String toString() {
    return file + ":" + line + ": " + reason;
  }
}

package io.fraudwatch.features.handbook;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file is not handbook CSV (empty, binary, without the required columns, or without a readable
 * row).
 */
public final class HandbookFormatException extends IOException {

  private final Path file;
  private final long line;

  /**
   * @param line the 1-based line the problem was found on
   */
  public HandbookFormatException(Path file, long line, String message) {
    super(file + ":" + line + ": " + message);
    this.file = file;
    this.line = line;
  }

  public Path file() {
    return file;
  }

  public long line() {
    return line;
  }
}

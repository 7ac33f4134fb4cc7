package io.fraudwatch.features.handbook;

import java.io.IOException;
import java.nio.file.Path;

/** A file is not handbook CSV: empty, or its header lacks required columns. */
public final class HandbookFormatException extends IOException {

  private final Path file;

  public HandbookFormatException(Path file, String message) {
    super(file + ": " + message);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}

package io.fraudwatch.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** The Fraud Detection Handbook data set that CI puts beside the repository, in ../shared/data/handbook-raw. */
public final class HandbookData {
  private static final String DIR = "shared/data/handbook-raw";

  private HandbookData() {}

  /** The named file, found by walking up from the working directory (a module's or the repository's). */
  public static Path file(String name) {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(DIR).resolve(name);
      if (Files.isReadable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(DIR + "/" + name + " is not beside the repository (above "
        + System.getProperty("user.dir") + ")");
  }
}

package io.fraudwatch.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The Fraud Detection Handbook data set that CI puts beside the repository, in
 * ../shared/data/handbook-raw. A test that needs it is skipped, naming the missing path, on a
 * machine without it; with {@code -Dfraudwatch.require-data=true} (which .ci/run sets) it fails
 * instead, so CI cannot pass without the data.
 */
public final class HandbookData {
  private static final String DIR = "shared/data/handbook-raw";
  public static final String REQUIRE_PROPERTY = "fraudwatch.require-data";

  private HandbookData() {}

  /**
   * The named file, found by walking up from the working directory (a module's or the
   * repository's).
   */
  public static Path file(String name) {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        dir != null;
        dir = dir.getParent()) {
      Path candidate = dir.resolve(DIR).resolve(name);
      if (Files.isReadable(candidate)) {
        return candidate;
      }
    }
    String missing =
        DIR
            + "/"
            + name
            + " is not beside the repository (above "
            + System.getProperty("user.dir")
            + ")";
    if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
      throw new IllegalStateException(missing + " and -D" + REQUIRE_PROPERTY + "=true requires it");
    }
    Assumptions.abort("skipped: " + missing);
    throw new AssertionError("unreachable");
  }
}

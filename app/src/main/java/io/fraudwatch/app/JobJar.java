package io.fraudwatch.app;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the job jar (the assembly that runs on the cluster) is: given with {@code --job-jar}, or
 * the one next to the launcher, which {@code bin/fraudwatch} names in the system property {@code
 * fraudwatch.job-jar}.
 */
final class JobJar {
  static final String PROPERTY = "fraudwatch.job-jar";

  private JobJar() {}

  static Path locate(Optional<Path> given) {
    Path jar =
        given
            .or(
                () ->
                    Optional.ofNullable(System.getProperty(PROPERTY))
                        .filter(s -> !s.isBlank())
                        .map(Path::of))
            .orElseThrow(
                () ->
                    new CommandFailure(
                        Cli.USAGE,
                        "no job jar: give --job-jar FILE (bin/fraudwatch names the"
                            + " one it carries in -D"
                            + PROPERTY
                            + ")"));
    if (!Files.isRegularFile(jar)) {
      throw new CommandFailure(
          Cli.USAGE,
          "the job jar "
              + jar
              + " does not exist (a release carries it in jobs/; a source tree builds it with"
              + " mvn -B -DskipTests package)");
    }
    return jar;
  }
}

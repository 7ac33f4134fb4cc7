package io.fraudwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.sparkdist.SparkJars;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The classpath bin/fraudwatch runs on (written at package) holds every jar of Spark's
 * distribution, at Spark's versions: submit, cluster-demo and bench --cluster start Spark's JVMs on
 * those jars alone, and a test dependency's newer version of one of them must not take its place.
 */
class LauncherClasspathIT {
  private static final Path CLASSPATH = Path.of("target", "launcher", "classpath");

  @Test
  void holdsEverySparkJarAtSparksVersion() throws Exception {
    String classpath = Files.readString(CLASSPATH).strip();

    assertThat(SparkJars.on(classpath)).hasSize(SparkJars.names().size());
  }
}

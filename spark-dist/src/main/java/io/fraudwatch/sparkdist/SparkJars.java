package io.fraudwatch.sparkdist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The jars of a Spark distribution (file names, as Maven names them), and where this JVM's
 * classpath has them.
 */
public final class SparkJars {
  private static final String LIST = "spark-jars.txt";

  private SparkJars() {}

  /**
   * The file names, e.g. {@code spark-core_2.13-4.2.0.jar}, written by the build from Spark's
   * dependency closure.
   */
  public static Set<String> names() {
    try (InputStream in = SparkJars.class.getResourceAsStream(LIST)) {
      if (in == null) {
        throw new IllegalStateException(
            LIST + " is missing from the fraudwatch-spark-dist jar: a broken build");
      }
      Set<String> names = new TreeSet<>();
      for (String entry : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split(":")) {
        names.add(entry.substring(entry.lastIndexOf('/') + 1));
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Each Spark jar's path on {@code classpath} (a java.class.path value), by file name.
   *
   * @throws IllegalStateException naming the jars the classpath lacks
   */
  public static List<Path> on(String classpath) {
    Map<String, Path> byName = new LinkedHashMap<>();
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      if (p.getFileName() != null) {
        byName.putIfAbsent(p.getFileName().toString(), p.toAbsolutePath());
      }
    }
    List<Path> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String name : names()) {
      Path p = byName.get(name);
      if (p == null) {
        missing.add(name);
      } else {
        found.add(p);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "the classpath lacks " + missing.size() + " of Spark's jars, e.g. " + missing.get(0));
    }
    return found;
  }
}

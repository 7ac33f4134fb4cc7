package io.fraudwatch.app.chaos;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts {@code bin/fraudwatch <command>} as a JVM of its own, the way the launcher started this
 * one: the same java, JVM flags (Spark's {@code --add-opens}, system properties) and class path,
 * with its own heap and environment. No {@code FRAUDWATCH_*} variable of this process reaches the
 * child: what it needs is passed in {@code env}.
 */
public final class ChildJvm {
  private static final String MAIN = "io.fraudwatch.app.FraudwatchCommand";

  private ChildJvm() {}

  /** The command line of a child launcher with a heap of {@code heap} (e.g. {@code 1g}). */
  public static List<String> command(String heap, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(
                a ->
                    !a.startsWith("-javaagent")
                        && !a.startsWith("-agentlib")
                        && !a.startsWith("-Xmx")
                        && !a.startsWith("-Dfraudwatch.log="))
            .toList());
    cmd.add("-Xmx" + heap);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN));
    cmd.addAll(args);
    return cmd;
  }

  /** Starts the child with its output (and its own log file) in {@code log}'s directory. */
  public static Process start(String heap, List<String> args, Map<String, String> env, Path log)
      throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    List<String> cmd = command(heap, args);
    // its log file next to its console output, not in the caller's
    cmd.add(1, "-Dfraudwatch.log=" + log.resolveSibling(log.getFileName() + ".full"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("FRAUDWATCH_"));
    pb.environment().putAll(env);
    return pb.start();
  }
}

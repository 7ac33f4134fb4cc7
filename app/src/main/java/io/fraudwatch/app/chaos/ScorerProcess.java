package io.fraudwatch.app.chaos;

import io.fraudwatch.app.runtime.Services;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/fraudwatch score} in a JVM of its own, against given services, to be killed and
 * started again.
 */
public final class ScorerProcess implements AutoCloseable {
  private final Path dir;
  private final Map<String, String> env;
  private Process process;
  private int starts;

  /**
   * @param dir where the scorer's work directory and logs go
   * @param services the broker and PostgreSQL it scores against
   * @param jobPasswordFile the file with the job login's password
   */
  public ScorerProcess(Path dir, Services services, Path jobPasswordFile) {
    this.dir = dir;
    Path work = dir.resolve("scorer-work");
    Map<String, String> env = new java.util.HashMap<>(environment(services, jobPasswordFile, work));
    env.put("FRAUDWATCH_CHECKPOINT_PATH", work.resolve("checkpoint").toString());
    this.env = Map.copyOf(env);
  }

  /**
   * The environment of a {@code score} against {@code services}: their addresses, the job login
   * with its password in {@code jobPasswordFile}, and {@code workDir} as its work directory.
   */
  public static Map<String, String> environment(
      Services services, Path jobPasswordFile, Path workDir) {
    return Map.of(
        "FRAUDWATCH_KAFKA_BOOTSTRAP",
        services.kafkaBootstrap(),
        "FRAUDWATCH_JDBC_URL",
        services.jdbcUrl(),
        "FRAUDWATCH_JDBC_USER",
        services.jobUser(),
        "FRAUDWATCH_JDBC_PASSWORD_FILE",
        jobPasswordFile.toString(),
        "FRAUDWATCH_WORK_DIR",
        workDir.toString());
  }

  /**
   * Starts {@code score} with {@code args} (after the command name); the previous one must have
   * ended.
   */
  public void start(List<String> args) throws IOException {
    if (running()) {
      throw new IllegalStateException("the scorer (pid " + process.pid() + ") is still running");
    }
    List<String> cmd = new ArrayList<>(List.of("score", "--metrics-port", "0"));
    cmd.addAll(args);
    process =
        ChildJvm.start(
            "1536m", cmd, env, dir.resolve("logs").resolve("scorer-" + (++starts) + ".log"));
  }

  public boolean running() {
    return process != null && process.isAlive();
  }

  /** The exit code of the last scorer, when it has ended. */
  public Integer exitCode() {
    return process == null || process.isAlive() ? null : process.exitValue();
  }

  public Path log() {
    return dir.resolve("logs").resolve("scorer-" + starts + ".log");
  }

  /** SIGKILL: no shutdown hook, no stop of the streaming context. */
  public void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM: the graceful stop through the shutdown hook. */
  public void stop() throws InterruptedException {
    if (running()) {
      process.destroy();
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}

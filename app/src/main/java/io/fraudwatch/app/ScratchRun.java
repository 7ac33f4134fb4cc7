package io.fraudwatch.app;

import io.fraudwatch.app.demo.DemoWorkDir;
import io.fraudwatch.app.runtime.RuntimeConfig;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The set-up that the commands running the whole product from scratch (demo, backtest, bench)
 * share: the scorer's keys with the command's own defaults (its job name among them) where nothing
 * is configured, a work directory emptied of the previous run, and a note when configured services
 * will receive the run's data.
 */
final class ScratchRun {

  private ScratchRun() {}

  /**
   * The scorer's settings, with the command's {@code defaults} for the keys that nothing else sets.
   * Its own {@code job.name} among them keeps the run, on shared services, from taking over a real
   * scorer's stored offsets and metrics.
   */
  static Settings settings(
      ConfigOptions config,
      Map<String, String> env,
      Map<String, String> flags,
      Map<String, String> defaults) {
    Settings settings = config.load(ScoreCommand.KEYS, env, flags);
    Map<String, String> withDefaults = new LinkedHashMap<>(flags);
    defaults.forEach(
        (key, value) -> {
          if (settings.origin(key).equals("default")) {
            withDefaults.put(key, value);
          }
        });
    return config.load(ScoreCommand.KEYS, env, withDefaults);
  }

  /**
   * {@code defaults} plus the state checkpoints in the run's work directory (absolute: a driver in
   * cluster mode runs elsewhere), which the next run empties with the rest.
   */
  static Map<String, String> checkpointsIn(Path workDir, Map<String, String> defaults) {
    Map<String, String> with = new LinkedHashMap<>(defaults);
    with.put("checkpoint.path", workDir.toAbsolutePath().resolve("checkpoint").toString());
    return with;
  }

  /**
   * Empties the work directory of embedded services (if a scratch run made it) and notes configured
   * services.
   */
  static void prepare(RuntimeConfig runtimeConfig, String command, PrintWriter out, PrintWriter err)
      throws IOException {
    if (runtimeConfig.kafka().embedded() || runtimeConfig.database().embedded()) {
      try {
        if (DemoWorkDir.prepare(runtimeConfig.workDir())) {
          out.printf("Deleted the previous run's data in %s%n", runtimeConfig.workDir());
        }
      } catch (DemoWorkDir.NotADemoDirectory e) {
        throw new CommandFailure(Cli.USAGE, e.getMessage(), e);
      }
    }
    if (!runtimeConfig.kafka().embedded() || !runtimeConfig.database().embedded()) {
      err.println(
          "note: using the configured "
              + (runtimeConfig.kafka().embedded() ? "" : "Kafka ")
              + (runtimeConfig.database().embedded() ? "" : "PostgreSQL ")
              + "(kafka.bootstrap / jdbc.url): the "
              + command
              + " writes its data there");
    }
  }
}

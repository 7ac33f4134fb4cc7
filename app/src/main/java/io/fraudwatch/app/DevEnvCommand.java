package io.fraudwatch.app;

import io.fraudwatch.app.runtime.FraudwatchRuntime;
import io.fraudwatch.app.runtime.RuntimeConfig;
import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "dev-env",
    mixinStandardHelpOptions = true,
    description = {
      "Start embedded Kafka and PostgreSQL for development; run until Ctrl-C.",
      "A real Kafka broker (KRaft) and a real PostgreSQL in this process, migrated,",
      "with the product's topics; prints how to reach them and shuts down cleanly on",
      "Ctrl-C.",
      "Data stays in the work directory, so a restart keeps topics, tables and",
      "passwords."
    })
final class DevEnvCommand implements Callable<Integer> {

  @Mixin ConfigOptions config;
  @Spec CommandSpec spec;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "work directory (config key work-dir; default: work)")
  Path workDir;

  @Option(
      names = "--kafka-port",
      paramLabel = "PORT",
      description = "broker port (default: any free port)")
  Integer kafkaPort;

  @Option(
      names = "--pg-port",
      paramLabel = "PORT",
      description = "PostgreSQL port (default: any free port)")
  Integer pgPort;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description = "partitions per topic when created (default: 2)")
  Integer partitions;

  private final Map<String, String> env;
  private final StopSignal stopSignal;

  DevEnvCommand(Map<String, String> env, StopSignal stopSignal) {
    this.env = env;
    this.stopSignal = stopSignal;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> flags = new LinkedHashMap<>();
    if (workDir != null) flags.put("work-dir", workDir.toString());
    if (kafkaPort != null) flags.put("embedded.kafka-port", kafkaPort.toString());
    if (pgPort != null) flags.put("embedded.postgres-port", pgPort.toString());
    if (partitions != null) flags.put("kafka.partitions", partitions.toString());
    var settings = config.load(RuntimeConfig.KEYS, env, flags);
    RuntimeConfig cfg = RuntimeConfig.from(settings);
    if (!cfg.kafka().embedded() || !cfg.database().embedded()) {
      throw new CommandFailure(
          Cli.USAGE,
          "dev-env starts embedded services, but kafka.bootstrap or jdbc.url is set ("
              + settings.origin("kafka.bootstrap")
              + ", "
              + settings.origin("jdbc.url")
              + "); unset them to use dev-env");
    }
    PrintWriter out = spec.commandLine().getOut();
    long t0 = System.nanoTime();
    try (FraudwatchRuntime runtime = FraudwatchRuntime.start(cfg, out)) {
      Services s = runtime.services();
      Path envFile = DevEnvBanner.writeEnvFile(cfg.workDir(), s);
      DevEnvBanner.print(out, s, cfg, envFile, (System.nanoTime() - t0) / 1e9);
      out.flush();
      stopSignal.awaitStop();
      out.println("Stopping ...");
      out.flush();
    } finally {
      stopSignal.stopped();
    }
    out.println("Stopped cleanly.");
    out.flush();
    return Cli.OK;
  }
}

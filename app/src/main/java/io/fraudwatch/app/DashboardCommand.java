package io.fraudwatch.app;

import io.fraudwatch.app.dashboard.Dashboard;
import io.fraudwatch.app.dashboard.DashboardConfig;
import io.fraudwatch.app.runtime.FraudwatchRuntime;
import io.fraudwatch.app.runtime.RuntimeConfig;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.DatabaseLogin;
import io.fraudwatch.config.Settings;
import io.fraudwatch.scoring.job.ScoringConfig;
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

@DatabaseLogin(DatabaseLogin.Login.ANALYST)
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the live dashboard page until Ctrl-C.",
      "One page, refreshing itself: throughput and batch delays, alerts per hour and",
      "against the daily budget, alert precision and card precision@k per day as labels",
      "arrive, promotions and rollbacks, champion against challenger, drift (PSI per",
      "hour) and dead letters by reason. It reads through the read-only analyst login:",
      "the embedded database's own (started from --work-dir when jdbc.url is unset), or",
      "dashboard.jdbc-user with dashboard.jdbc-password-file on an external database.",
      "What each panel shows: docs/dashboard.md."
    },
    footer = {
      "%nExit codes: 1 the database cannot be reached; 2 bad arguments or the port is",
      "taken; 130 stopped with Ctrl-C (143 by SIGTERM)."
    })
final class DashboardCommand implements Callable<Integer> {

  @Mixin ConfigOptions config;
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "port to listen on (dashboard.port, default 8080; 0 = any free port)")
  Integer port;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      description = "address to listen on (dashboard.bind, default 127.0.0.1)")
  String bind;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "embedded database's work directory (work-dir; e.g. work/demo after a demo)")
  Path workDir;

  private final Map<String, String> env;
  private final StopSignal stopSignal;

  DashboardCommand(Map<String, String> env, StopSignal stopSignal) {
    this.env = env;
    this.stopSignal = stopSignal;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> flags = new LinkedHashMap<>();
    if (port != null) flags.put("dashboard.port", port.toString());
    if (bind != null) flags.put("dashboard.bind", bind);
    if (workDir != null) flags.put("work-dir", workDir.toString());
    // the scorer's keys (which include the dashboard's): one config file serves both; model.name
    // and drift.* are read
    Settings settings = config.load(ScoreCommand.KEYS, env, flags);
    RuntimeConfig runtimeConfig = RuntimeConfig.from(settings);
    ScoringConfig scoring = ScoringConfig.from(settings);
    DashboardConfig dashboardConfig = DashboardConfig.from(settings);
    PrintWriter out = spec.commandLine().getOut();
    try (FraudwatchRuntime runtime = FraudwatchRuntime.startDatabase(runtimeConfig, out);
        Dashboard dashboard =
            Dashboard.start(
                runtime.services(), dashboardConfig, scoring.modelName(), scoring.drift())) {
      out.printf(
          "Dashboard: %s  (model %s; press Ctrl-C to stop)%n",
          dashboard.address(), scoring.modelName());
      out.flush();
      stopSignal.awaitStop();
      out.println("Stopping ...");
      out.flush();
    } finally {
      stopSignal.stopped();
    }
    return Cli.OK;
  }
}

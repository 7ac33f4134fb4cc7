package io.fraudwatch.app;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.ConfigKey;
import io.fraudwatch.config.ConfigOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bin/fraudwatch}: the one launcher. */
@Command(
    name = "fraudwatch",
    mixinStandardHelpOptions = true,
    versionProvider = FraudwatchCommand.Version.class,
    description = {
      "Online credit-card fraud detection on Spark Streaming, Kafka and PostgreSQL.",
      "Configuration: defaults < --config FILE (or $FRAUDWATCH_CONFIG) < FRAUDWATCH_*",
      "environment < flags."
    },
    commandListHeading = "%nCommands:%n",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:failure",
      "2:usage or configuration error",
      "3:not found",
      "4:refused",
      "5:PostgreSQL or Kafka stayed unreachable for longer than the command waits (score, the job:"
          + " job.outage-tolerance); run it again once the service is back",
      "6:a service refused the credentials or certificates (Kafka SASL/TLS, PostgreSQL login)",
      "130:stopped with Ctrl-C (143 by SIGTERM); long-running commands close their services"
          + " first"
    })
public final class FraudwatchCommand implements Callable<Integer> {

  static final String VERBOSE = "--verbose";

  @Spec CommandSpec spec;

  @Option(
      names = VERBOSE,
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "also show the libraries' warnings (Spark, Kafka, ...) on the console; they always go to the log"
              + " file: work/fraudwatch.log, or the file named by -Dfraudwatch.log=FILE in"
              + " FRAUDWATCH_JAVA_OPTS")
  boolean verbose;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    spec.commandLine().getErr().println("error: missing command");
    return Cli.USAGE;
  }

  /**
   * A command whose help lists no exit codes (dev-env, migrate, the subcommands of models, rules
   * and alerts) shows its parent's list.
   */
  private static void inheritExitCodes(CommandLine parent) {
    UsageMessageSpec from = parent.getCommandSpec().usageMessage();
    for (CommandLine sub : parent.getSubcommands().values()) {
      UsageMessageSpec usage = sub.getCommandSpec().usageMessage();
      boolean own =
          !usage.exitCodeList().isEmpty()
              || java.util.Arrays.stream(usage.footer()).anyMatch(l -> l.contains("Exit codes"));
      if (!own && !from.exitCodeList().isEmpty()) {
        usage.exitCodeListHeading(from.exitCodeListHeading());
        usage.exitCodeList(from.exitCodeList());
      }
      inheritExitCodes(sub);
    }
  }

  /**
   * Builds the command tree; {@code stopSignal} ends long-running commands (Ctrl-C in production).
   */
  public static CommandLine commandLine(
      Map<String, String> env, StopSignal stopSignal, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new FraudwatchCommand());
    cl.addSubcommand(new DemoCommand(env, stopSignal));
    cl.addSubcommand(new DevEnvCommand(env, stopSignal));
    cl.addSubcommand(new MigrateCommand(env));
    cl.addSubcommand(new ScoreCommand(env, stopSignal));
    cl.addSubcommand(new SubmitCommand(env));
    cl.addSubcommand(new ClusterDemoCommand(env, stopSignal));
    cl.addSubcommand(new io.fraudwatch.models.cli.ModelsCommand(env));
    cl.addSubcommand(new io.fraudwatch.models.cli.RulesCommand(env));
    cl.addSubcommand(new SimulateCommand(env, stopSignal));
    cl.addSubcommand(new ReplayCommand(env, stopSignal));
    cl.addSubcommand(new BenchCommand(env, stopSignal));
    cl.addSubcommand(new BacktestCommand(env, stopSignal));
    cl.addSubcommand(new DashboardCommand(env, stopSignal));
    cl.addSubcommand(
        new CommandLine(new AlertsCommand())
            .addSubcommand(new AlertsCommand.Tail(env, stopSignal))
            .addSubcommand(new AlertsCommand.ListOpen(env))
            .addSubcommand(new AlertsCommand.Review(env)));
    cl.addSubcommand(new MaintainCommand(env, java.time.Clock.systemUTC()));
    cl.addSubcommand(new io.fraudwatch.app.chaos.ChaosCommand(stopSignal));
    cl.addSubcommand(new io.fraudwatch.app.chaos.BrokerProcessCommand(stopSignal));
    MaintainCommand.documentKeys(cl.getSubcommands().get("maintain"));
    inheritExitCodes(cl);
    shareConfigFile(cl.getCommandSpec(), ConfigReference.allKeys());
    Cli.configure(cl, out, err);
    // a refusal by Kafka or PostgreSQL gets its own exit code and message, and an unreachable one a
    // message without a stack trace, wherever it surfaced
    CommandLine.IExecutionExceptionHandler generic = cl.getExecutionExceptionHandler();
    AccessDenied accessDenied = new AccessDenied(cl);
    cl.setExecutionExceptionHandler(
        (ex, c, parseResult) ->
            generic.handleExecutionException(
                accessDenied
                    .translate(ex)
                    .or(() -> Unreachable.translate(ex))
                    .map(Exception.class::cast)
                    .orElse(ex),
                c,
                parseResult));
    return cl;
  }

  /**
   * Lets every command's config file hold every key of the product (a command skips the keys it
   * does not read), so that one file, such as the release's conf/fraudwatch.properties, serves all.
   */
  private static void shareConfigFile(CommandSpec command, List<ConfigKey> productKeys) {
    if (command.userObject() instanceof ConfigOptions options) {
      options.shareFileWith(productKeys);
    }
    command.mixins().values().forEach(mixin -> shareConfigFile(mixin, productKeys));
    command.subcommands().values().stream()
        .distinct() // aliases
        .forEach(sub -> shareConfigFile(sub.getCommandSpec(), productKeys));
  }

  public static int run(
      Map<String, String> env,
      StopSignal stopSignal,
      PrintWriter out,
      PrintWriter err,
      String... args) {
    for (String name : unknownVariables(env)) {
      err.println(
          "warning: "
              + name
              + " is set but names no configuration key; it is ignored (docs/configuration.md)");
    }
    return commandLine(env, stopSignal, out, err).execute(args);
  }

  /** The launcher's own variables (bin/fraudwatch), besides one per configuration key. */
  private static final java.util.Set<String> LAUNCHER_VARIABLES =
      java.util.Set.of("FRAUDWATCH_CONFIG", "FRAUDWATCH_JAVA_OPTS", "FRAUDWATCH_NO_BUILD");

  /**
   * The FRAUDWATCH_* variables of {@code env} that no command reads: a typo in one would otherwise
   * go unnoticed, as a typo in a config file does not.
   */
  static java.util.SortedSet<String> unknownVariables(Map<String, String> env) {
    java.util.Set<String> known = new java.util.HashSet<>(LAUNCHER_VARIABLES);
    for (ConfigKey k : ConfigReference.allKeys()) {
      known.add(k.envVar());
      if (k.secret()) {
        known.add(ConfigKey.envVar(k.fileKey()));
      }
    }
    java.util.SortedSet<String> unknown = new java.util.TreeSet<>();
    for (String name : env.keySet()) {
      if (name.startsWith("FRAUDWATCH_") && !known.contains(name)) {
        unknown.add(name);
      }
    }
    return unknown;
  }

  public static void main(String[] args) {
    // before anything logs: the console's level for the libraries is set when logging starts
    if (java.util.Arrays.asList(args).contains(VERBOSE)) {
      System.setProperty("fraudwatch.console-level", "warn");
    }
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(
        run(System.getenv(), StopSignal.onShutdown(Duration.ofSeconds(60)), out, err, args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = FraudwatchCommand.class.getPackage().getImplementationVersion();
      return new String[] {"fraudwatch " + (v == null ? "(development build)" : v)};
    }
  }
}

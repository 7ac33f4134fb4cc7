package io.fraudwatch.app;

import io.fraudwatch.app.submit.SparkSubmitter;
import io.fraudwatch.app.submit.SubmitPlan;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.Settings;
import io.fraudwatch.scoring.job.ScoringJobMain;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Submit the scoring job to a Spark cluster with Spark's own SparkSubmit.",
      "Masters: spark://HOST:PORT (standalone), yarn, k8s://https://HOST:PORT. The job",
      "jar runs on the cluster against the configured Kafka (kafka.bootstrap) and",
      "PostgreSQL (jdbc.url); its configuration travels as spark.fraudwatch.*",
      "properties, secrets only as files: shipped with --files (standalone, YARN), or",
      "mounted from a Kubernetes Secret (give the path inside the pods as",
      "jdbc.password-file and mount it with --conf",
      "spark.kubernetes.driver.secrets.NAME=DIR and ...executor.secrets.NAME=DIR). Uses",
      "$SPARK_HOME/bin/spark-submit when --spark-home or SPARK_HOME is set (needed for",
      "YARN and Kubernetes), else the Spark jars this launcher carries."
    },
    footer = {
      "%nExit codes: 0 submitted (cluster mode) or the job stopped (client mode); 1",
      "SparkSubmit failed; 2 bad arguments or configuration."
    })
final class SubmitCommand implements Callable<Integer> {

  @Mixin ConfigOptions config;
  @Spec CommandSpec spec;

  @Option(
      names = "--master",
      required = true,
      paramLabel = "URL",
      description = "spark://HOST:PORT, yarn or k8s://https://HOST:PORT")
  String master;

  @Option(
      names = "--deploy-mode",
      defaultValue = "client",
      paramLabel = "MODE",
      description =
          "client (the driver runs here) or cluster (the cluster runs it) (default: ${DEFAULT-VALUE})")
  SubmitPlan.DeployMode deployMode;

  @Option(
      names = "--supervise",
      description = "restart the driver when it fails (spark:// masters, cluster mode)")
  boolean supervise;

  @Option(
      names = "--driver-memory",
      paramLabel = "SIZE",
      description = "e.g. 1g (spark.driver.memory)")
  String driverMemory;

  @Option(
      names = "--executor-memory",
      paramLabel = "SIZE",
      description = "e.g. 2g (spark.executor.memory)")
  String executorMemory;

  @Option(
      names = "--executor-cores",
      paramLabel = "N",
      description = "cores per executor (spark.executor.cores)")
  Integer executorCores;

  @Option(
      names = "--total-executor-cores",
      paramLabel = "N",
      description = "cores of all executors, standalone (spark.cores.max)")
  Integer totalExecutorCores;

  @Option(
      names = "--num-executors",
      paramLabel = "N",
      description = "executors, YARN and Kubernetes (spark.executor.instances)")
  Integer executors;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description = "any other Spark property (repeatable)")
  Map<String, String> sparkConf = new LinkedHashMap<>();

  @Option(
      names = "--spark-home",
      paramLabel = "DIR",
      description = "a Spark 4.2 distribution to submit with (default: $SPARK_HOME)")
  Path sparkHome;

  @Option(
      names = "--job-jar",
      paramLabel = "FILE|URL",
      description = {
        "the job jar (default: the one this release carries), or a URL the",
        "cluster fetches it from (hdfs://, http://; local:///path inside its images)"
      })
  String jobJar;

  @Option(names = "--print", description = "print the spark-submit command instead of running it")
  boolean print;

  private final Map<String, String> env;

  SubmitCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    Settings settings = config.load(ScoringJobMain.KEYS, env, Map.of());
    SubmitPlan plan =
        SubmitPlan.of(
            master,
            deployMode,
            supervise,
            jobJar != null && SubmitPlan.isUrl(jobJar)
                ? jobJar
                : JobJar.locate(Optional.ofNullable(jobJar).map(Path::of)).toString(),
            settings,
            new SubmitPlan.Resources(
                Optional.ofNullable(driverMemory),
                Optional.ofNullable(executorMemory),
                Optional.ofNullable(executorCores),
                Optional.ofNullable(totalExecutorCores),
                Optional.ofNullable(executors)),
            sparkConf);
    SparkSubmitter submitter =
        new SparkSubmitter(
            Optional.ofNullable(sparkHome)
                .or(
                    () ->
                        Optional.ofNullable(env.get("SPARK_HOME"))
                            .filter(s -> !s.isBlank())
                            .map(Path::of)));
    if (plan.masterKind() != SubmitPlan.MasterKind.STANDALONE
        && plan.masterKind() != SubmitPlan.MasterKind.LOCAL
        && sparkHome == null
        && !env.containsKey("SPARK_HOME")
        && !print) {
      throw new CommandFailure(
          Cli.USAGE,
          "the Spark jars this launcher carries have no "
              + plan.masterKind().name().toLowerCase(java.util.Locale.ROOT)
              + " support: give --spark-home (or SPARK_HOME) of your Spark 4.2"
              + " distribution, or --print the command for your own spark-submit");
    }
    List<String> command = submitter.submitCommand(plan);
    PrintWriter out = spec.commandLine().getOut();
    if (print) {
      out.println(
          command.stream().map(SubmitCommand::shellQuoted).collect(Collectors.joining(" ")));
      return Cli.OK;
    }
    out.printf(
        "Submitting the job (%s mode) to %s with %s ...%n",
        deployMode.name().toLowerCase(java.util.Locale.ROOT), master, plan.jobJarName());
    out.flush();
    int exit = submitter.process(command).inheritIO().start().waitFor();
    if (exit != 0) {
      throw new CommandFailure(
          Cli.FAILURE, "spark-submit exited with " + exit + " (its output is above)");
    }
    return Cli.OK;
  }

  static String shellQuoted(String arg) {
    return arg.matches("[A-Za-z0-9_./:=,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }
}

package io.fraudwatch.app.submit;

import io.fraudwatch.scoring.job.JobSparkProperties;
import io.fraudwatch.sparkdist.SparkJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * Runs Spark's own tools in a JVM of their own: {@code SparkSubmit} (and {@code
 * org.apache.spark.deploy.Client} to kill a driver), either from a Spark distribution ({@code
 * $SPARK_HOME/bin/spark-submit}) or on the Spark jars this launcher carries, with nothing of
 * Fraudwatch on their classpath: the job reaches the cluster only as its jar. Neither the child's
 * arguments nor its environment hold a secret: the environment is cleared of {@code FRAUDWATCH_*}
 * (in standalone cluster mode spark-submit hands its environment to the driver).
 */
public final class SparkSubmitter {
  private static final String SUBMIT_MAIN = "org.apache.spark.deploy.SparkSubmit";

  private final Optional<Path> sparkHome;

  /**
   * @param sparkHome a Spark distribution to use; empty = the Spark jars on this JVM's classpath
   */
  public SparkSubmitter(Optional<Path> sparkHome) {
    sparkHome.ifPresent(
        home -> {
          if (!Files.isExecutable(home.resolve("bin/spark-submit"))) {
            throw new io.fraudwatch.config.ConfigException(
                null, "--spark-home " + home + ": no executable bin/spark-submit" + " there");
          }
        });
    this.sparkHome = sparkHome;
  }

  /**
   * The command that submits the plan; {@code clientHeap} sizes the JVM that hosts a client-mode
   * driver.
   */
  public List<String> submitCommand(SubmitPlan plan) {
    List<String> cmd = new ArrayList<>();
    if (sparkHome.isPresent()) {
      cmd.add(sparkHome.get().resolve("bin/spark-submit").toString());
    } else {
      String heap =
          plan.deployMode() == SubmitPlan.DeployMode.CLIENT
              ? plan.sparkConf().getOrDefault("spark.driver.memory", "1g")
              : "512m";
      cmd.addAll(bundledJava("-Xmx" + heap));
      cmd.add(SUBMIT_MAIN);
    }
    cmd.addAll(plan.sparkSubmitArgs());
    return cmd;
  }

  /** Spark's documented way to kill a driver that a standalone master runs (supervised or not). */
  public List<String> killDriverCommand(String master, String driverId) {
    List<String> cmd = new ArrayList<>();
    if (sparkHome.isPresent()) {
      cmd.add(sparkHome.get().resolve("bin/spark-class").toString());
    } else {
      cmd.addAll(bundledJava("-Xmx256m"));
    }
    cmd.addAll(List.of("org.apache.spark.deploy.Client", "kill", master, driverId));
    return cmd;
  }

  /**
   * A process for {@code command} with the cleaned environment; the caller decides where its output
   * goes.
   */
  public ProcessBuilder process(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("FRAUDWATCH_")
                    || k.equals("CLASSPATH")
                    || (sparkHome.isEmpty() && (k.startsWith("SPARK_") || k.startsWith("_SPARK"))));
    return pb;
  }

  private static List<String> bundledJava(String heap) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(heap);
    // Spark's module options but the incubating vector module, whose only effect would be a warning
    // on the console
    Arrays.stream(JavaModuleOptions.defaultModuleOptionArray())
        .filter(o -> !o.startsWith("--add-modules"))
        .forEach(cmd::add);
    // a client-mode driver decodes Avro in this JVM
    cmd.add(JobSparkProperties.AVRO_PACKAGES_FLAG);
    cmd.add("-cp");
    cmd.add(
        String.join(
            java.io.File.pathSeparator,
            SparkJars.on(System.getProperty("java.class.path")).stream()
                .map(Path::toString)
                .toList()));
    return cmd;
  }
}

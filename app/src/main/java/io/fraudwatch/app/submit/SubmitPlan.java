package io.fraudwatch.app.submit;

import io.fraudwatch.config.ConfigException;
import io.fraudwatch.config.ConfigKey;
import io.fraudwatch.config.Settings;
import io.fraudwatch.scoring.job.JobSparkProperties;
import io.fraudwatch.scoring.job.ScoringConfig;
import io.fraudwatch.scoring.job.ScoringJobMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * What {@code bin/fraudwatch submit} hands to Spark's SparkSubmit: the job jar and main class, the
 * deploy mode, the job's configuration as {@code spark.fraudwatch.*} properties, the Spark
 * properties that follow from it, the JVM options the driver and executors need, and the secret
 * files. Secrets travel only as files: shipped with {@code --files} (standalone, YARN) or mounted
 * from a Kubernetes Secret; never as a property, an argument or an environment variable.
 */
public record SubmitPlan(
    String master,
    DeployMode deployMode,
    boolean supervise,
    String jobJar,
    Map<String, String> sparkConf,
    List<Path> files) {

  /**
   * Non-secret keys whose values are files each JVM of the job reads (trust stores, certificates).
   */
  static final java.util.Set<String> FILE_KEYS =
      java.util.Set.of("kafka.ssl-truststore", "kafka.ssl-keystore", "jdbc.ssl-root-cert");

  /** The operator's and the investigator's logins, which the job does not use. */
  static final java.util.Set<String> OPERATOR_KEYS =
      java.util.Set.of(
          "jdbc.operator-user",
          "jdbc.operator-password",
          "jdbc.investigator-user",
          "jdbc.investigator-password");

  public enum DeployMode {
    CLIENT,
    CLUSTER
  }

  /** The cluster managers spark-submit knows; local masters run the job in the submitting JVM. */
  public enum MasterKind {
    STANDALONE,
    YARN,
    KUBERNETES,
    LOCAL;

    public static MasterKind of(String master) {
      if (master.startsWith("spark://")) {
        return STANDALONE;
      } else if (master.equals("yarn")) {
        return YARN;
      } else if (master.startsWith("k8s://")) {
        return KUBERNETES;
      } else if (master.equals("local") || master.startsWith("local[")) {
        return LOCAL;
      }
      throw new ConfigException(
          null,
          "--master "
              + master
              + ": expected spark://HOST:PORT, yarn, k8s://https://HOST:PORT"
              + " or local[N]");
    }
  }

  /** Executor and driver sizes, each empty for Spark's default. */
  public record Resources(
      Optional<String> driverMemory,
      Optional<String> executorMemory,
      Optional<Integer> executorCores,
      Optional<Integer> totalExecutorCores,
      Optional<Integer> executors) {
    public static final Resources DEFAULTS =
        new Resources(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
  }

  public static final String MAIN_CLASS = ScoringJobMain.class.getName();

  /**
   * @param settings the job's configuration, resolved on this side (keys of {@link
   *     ScoringJobMain#KEYS})
   * @param extraConf Spark properties given by the user ({@code --conf}); they win over what the
   *     plan derives
   * @throws ConfigException when the combination cannot work (and nothing was started)
   */
  public static SubmitPlan of(
      String master,
      DeployMode deployMode,
      boolean supervise,
      String jobJar,
      Settings settings,
      Resources resources,
      Map<String, String> extraConf) {
    MasterKind kind = MasterKind.of(master);
    if (supervise && !(kind == MasterKind.STANDALONE && deployMode == DeployMode.CLUSTER)) {
      throw new ConfigException(
          null,
          "--supervise restarts a driver in cluster deploy mode on a spark:// master;"
              + " on YARN set spark.yarn.maxAppAttempts, on Kubernetes the SparkApplication's restartPolicy");
    }
    if (kind == MasterKind.LOCAL && deployMode == DeployMode.CLUSTER) {
      throw new ConfigException(
          null, "--deploy-mode cluster needs a cluster manager, not " + master);
    }
    if (!isUrl(jobJar) && !Files.isRegularFile(Path.of(jobJar))) {
      throw new ConfigException(
          null,
          "the job jar "
              + jobJar
              + " does not exist (give --job-jar FILE, or a URL the cluster fetches: hdfs://,"
              + " http://, local:// for a path inside the cluster's nodes or images)");
    }
    for (String key : extraConf.keySet()) {
      if (key.startsWith(JobSparkProperties.CONFIG_PREFIX)) {
        throw new ConfigException(
            null,
            "--conf "
                + key
                + ": give Fraudwatch's keys with --config or --set (checked here, secrets sent as"
                + " files), not as Spark properties");
      }
    }
    if (settings.optional("kafka.bootstrap").isEmpty() || settings.optional("jdbc.url").isEmpty()) {
      throw new ConfigException(
          settings.optional("kafka.bootstrap").isEmpty() ? "kafka.bootstrap" : "jdbc.url",
          "is required: a submitted job runs against external Kafka and PostgreSQL (nothing is embedded on a cluster)");
    }
    ScoringConfig scoring = ScoringConfig.from(settings);

    Map<String, String> conf =
        new LinkedHashMap<>(JobSparkProperties.of(scoring, kind != MasterKind.LOCAL));
    if (deployMode == DeployMode.CLUSTER) {
      // the driver's JVM is started by the cluster, not by a spark-submit script that would add
      // these
      conf.put(
          "spark.driver.extraJavaOptions",
          JavaModuleOptions.defaultModuleOptions() + " " + JobSparkProperties.AVRO_PACKAGES_FLAG);
    }
    resources.driverMemory().ifPresent(m -> conf.put("spark.driver.memory", m));
    resources.executorMemory().ifPresent(m -> conf.put("spark.executor.memory", m));
    resources.executorCores().ifPresent(n -> conf.put("spark.executor.cores", n.toString()));
    resources.totalExecutorCores().ifPresent(n -> conf.put("spark.cores.max", n.toString()));
    resources.executors().ifPresent(n -> conf.put("spark.executor.instances", n.toString()));

    List<Path> files = new ArrayList<>();
    for (ConfigKey key : ScoringJobMain.KEYS) {
      if (OPERATOR_KEYS.contains(key.name())) {
        continue; // people's logins (models CLI, alerts review): the job never needs them, so it
        // does not travel
      }
      if (FILE_KEYS.contains(key.name()) && settings.optional(key.name()).isPresent()) {
        Path file = Path.of(settings.optional(key.name()).get());
        if (kind == MasterKind.KUBERNETES) {
          conf.put(JobSparkProperties.CONFIG_PREFIX + key.name(), file.toString());
        } else {
          if (!Files.isReadable(file)) {
            throw new ConfigException(key.name(), "cannot read " + file);
          }
          // shipped like the secrets: each JVM finds its copy by file name (SecretFile)
          files.add(file.toAbsolutePath());
          conf.put(JobSparkProperties.CONFIG_PREFIX + key.name(), file.getFileName().toString());
        }
        continue;
      }
      if (key.secret()) {
        Optional<Path> file = settings.secretFile(key.name());
        if (file.isEmpty()) {
          if (settings.secret(key.name()).isPresent()) {
            throw new ConfigException(
                key.fileKey(),
                "a submitted job reads its secrets from files: set "
                    + key.fileKey()
                    + " instead of the environment variable "
                    + key.envVar());
          }
          continue;
        }
        if (kind == MasterKind.KUBERNETES) {
          // a path inside the pods, where a Kubernetes Secret is mounted
          conf.put(JobSparkProperties.CONFIG_PREFIX + key.fileKey(), file.get().toString());
        } else {
          if (!Files.isReadable(file.get())) {
            throw new ConfigException(key.fileKey(), "cannot read " + file.get());
          }
          files.add(file.get().toAbsolutePath());
          conf.put(
              JobSparkProperties.CONFIG_PREFIX + key.fileKey(),
              file.get().getFileName().toString());
        }
      } else if (!key.name().equals("job.spark-master")
          && !settings.origin(key.name()).equals("default")) {
        settings
            .optional(key.name())
            .ifPresent(v -> conf.put(JobSparkProperties.CONFIG_PREFIX + key.name(), v));
      }
    }
    extraConf.forEach(
        (k, v) ->
            conf.put(
                k,
                k.endsWith(".extraJavaOptions") && conf.containsKey(k)
                    ? JobSparkProperties.withJavaOptions(v, conf.get(k))
                    : v));
    return new SubmitPlan(
        master,
        deployMode,
        supervise,
        isUrl(jobJar) ? jobJar : Path.of(jobJar).toAbsolutePath().toString(),
        Collections.unmodifiableMap(conf),
        List.copyOf(files));
  }

  public MasterKind masterKind() {
    return MasterKind.of(master);
  }

  /** The arguments of {@code spark-submit} (without the program itself). */
  public List<String> sparkSubmitArgs() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--master", master, "--deploy-mode", deployMode.name().toLowerCase(Locale.ROOT)));
    if (supervise) {
      args.add("--supervise");
    }
    args.addAll(List.of("--class", MAIN_CLASS));
    if (!files.isEmpty()) {
      args.add("--files");
      args.add(String.join(",", files.stream().map(Path::toString).toList()));
    }
    sparkConf.forEach(
        (k, v) -> {
          args.add("--conf");
          args.add(k + "=" + v);
        });
    args.add(jobJar);
    return args;
  }

  /**
   * Whether the job jar is a URL that spark-submit and the cluster resolve (hdfs://, http://,
   * local:...), not a file on this side.
   */
  public static boolean isUrl(String jobJar) {
    return jobJar.matches("[A-Za-z][A-Za-z0-9+.-]+:.+");
  }

  /** The job jar's file name, for messages. */
  public String jobJarName() {
    return jobJar.substring(jobJar.lastIndexOf('/') + 1);
  }
}

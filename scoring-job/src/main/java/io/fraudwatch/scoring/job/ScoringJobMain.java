package io.fraudwatch.scoring.job;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigException;
import io.fraudwatch.config.ConfigKey;
import io.fraudwatch.config.DatabaseSettings;
import io.fraudwatch.config.KafkaSettings;
import io.fraudwatch.config.Settings;
import io.fraudwatch.scoring.outage.ServiceUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * The job's entry point under spark-submit ({@code --class
 * io.fraudwatch.scoring.job.ScoringJobMain}), in client or cluster deploy mode on any master. It
 * runs until it is stopped (SIGTERM: the job stops and the online learner stores what it learned;
 * the JVM exits 143) or fails (exit 1, so that a supervised driver is restarted; it resumes from
 * the offsets stored in PostgreSQL), or until PostgreSQL or Kafka has been unreachable for longer
 * than {@code job.outage-tolerance} (exit 5, naming what is down).
 *
 * <p>Configuration, layered as everywhere: defaults &lt; {@code --config FILE} (a path the driver
 * can read, e.g. a mounted ConfigMap) &lt; {@code FRAUDWATCH_*} environment &lt; Spark properties
 * {@code spark.fraudwatch.<key>}, which is how {@code bin/fraudwatch submit} passes it. Secrets
 * never travel as properties: a {@code <key>-file} names a file that is either a path the driver
 * can read or the name of a file shipped with {@code --files}.
 */
@Command(
    name = "fraudwatch-job",
    mixinStandardHelpOptions = true,
    description = {
      "The Fraudwatch scoring job, as spark-submit runs it.",
      "Config: defaults < --config FILE < FRAUDWATCH_* environment < Spark properties spark.fraudwatch.<key>.",
      "Secrets: <key>-file names a readable path or a file shipped with spark-submit --files."
    })
public final class ScoringJobMain implements Callable<Integer> {

  /**
   * The keys the job reads: its own and where Kafka and PostgreSQL are (never embedded on a
   * cluster).
   */
  public static final List<ConfigKey> KEYS = keys();

  /** Where the product's key names are, beside this class. */
  public static final String PRODUCT_KEYS_RESOURCE = "product-keys.txt";

  /**
   * Every key of the product (the launcher's commands' too), which the config file may hold: the
   * job skips those it does not read, so that the one file the launcher reads serves it as well.
   */
  static final List<ConfigKey> PRODUCT_KEYS = productKeys();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "properties file with config keys, readable by the driver")
  Path configFile;

  private final Map<String, String> env;
  private final SparkConf sparkConf;

  ScoringJobMain(Map<String, String> env, SparkConf sparkConf) {
    this.env = env;
    this.sparkConf = sparkConf;
  }

  private static List<ConfigKey> keys() {
    List<ConfigKey> keys = new ArrayList<>(KafkaSettings.KEYS);
    keys.addAll(DatabaseSettings.KEYS);
    keys.addAll(ScoringConfig.KEYS);
    return List.copyOf(keys);
  }

  /**
   * {@value #PRODUCT_KEYS_RESOURCE}: a key a line, a secret's followed by " secret"; written from
   * the launcher's keys (io.fraudwatch.app.ConfigReference), whose test fails when it is out of
   * date.
   */
  private static List<ConfigKey> productKeys() {
    try (InputStream in = ScoringJobMain.class.getResourceAsStream(PRODUCT_KEYS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(PRODUCT_KEYS_RESOURCE + " is missing from the job jar");
      }
      List<ConfigKey> keys = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] words = line.strip().split(" ");
        if (words[0].isEmpty() || words[0].startsWith("#")) {
          continue;
        }
        boolean secret = words.length > 1 && words[1].equals("secret");
        keys.add(
            secret
                ? ConfigKey.secret(words[0], "")
                : ConfigKey.of(words[0], null, "another command's"));
      }
      return List.copyOf(keys);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(Cli.execute(new ScoringJobMain(System.getenv(), new SparkConf()), out, err, args));
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> flags = configFromSparkProperties(sparkConf);
    Settings settings = load(flags);
    ScoringConfig scoring = ScoringConfig.from(settings);
    // the Kafka and database settings are read once the context is up: their secret files may be
    // shipped with --files
    boolean noKafka = settings.optional("kafka.bootstrap").isEmpty();
    if (noKafka || settings.optional("jdbc.url").isEmpty()) {
      throw new ConfigException(
          noKafka ? "kafka.bootstrap" : "jdbc.url",
          "is required: the job on a cluster runs against external Kafka and PostgreSQL (nothing is embedded)");
    }
    boolean cluster = !sparkConf.get("spark.master", "local").startsWith("local");
    JobSparkProperties.of(scoring, cluster)
        .forEach(
            (key, value) -> {
              if (key.endsWith(".extraJavaOptions")) {
                sparkConf.set(
                    key, JobSparkProperties.withJavaOptions(sparkConf.get(key, ""), value));
              } else {
                sparkConf.setIfMissing(key, value);
              }
            });
    JavaSparkContext sc = new JavaSparkContext(sparkConf);
    ScoringJobRunner runner;
    try {
      // files shipped with --files are found only once the context has fetched them
      Settings shipped = load(withShippedFiles(flags));
      DatabaseSettings resolved = DatabaseSettings.from(shipped);
      KafkaSettings kafka = KafkaSettings.from(shipped);
      // secrets travel to the executors as file names: each finds its own copy (SecretFile)
      JobSettings job =
          new JobSettings(
              scoring.jobName(),
              resolved.url().orElseThrow(),
              resolved.user(),
              resolved.password().map(SecretFile::of).orElse(null),
              resolved.poolSize(),
              kafka.bootstrap().orElseThrow(),
              kafka.topics(),
              scoring.historyRefresh(),
              scoring.labelDelay(),
              KafkaClientSecurity.of(kafka.security()),
              JobSettings.JdbcTls.of(resolved.tls()),
              scoring.outageTolerance(),
              scoring.lakePath(),
              scoring.maxEventTimeAhead());
      runner = ScoringJobRunner.start(sc, scoring, job, r -> {});
    } catch (Exception e) {
      sc.stop();
      throw unavailable(e);
    }
    // a SIGTERM stops the job through the runner's own shutdown hook, the learner's store included
    try {
      while (!runner.awaitTermination(1000)) {
        // awaitTermination rethrows the job's failure: exit 1 for the supervisor (5 for an outage)
      }
    } catch (Exception e) {
      throw unavailable(e);
    }
    return Cli.OK;
  }

  /**
   * An outage past the tolerance as the exit code that says so ({@link Cli#UNAVAILABLE}); anything
   * else as it is.
   */
  private static Exception unavailable(Exception e) {
    return ServiceUnavailableException.in(e)
        .<Exception>map(
            down ->
                new CommandFailure(
                    Cli.UNAVAILABLE,
                    down.getMessage() + "; started again, the job resumes from the stored offsets",
                    e))
        .orElse(e);
  }

  Settings load(Map<String, String> flags) {
    Optional<Path> file = Optional.ofNullable(configFile);
    file.ifPresent(
        f -> {
          if (!Files.isReadable(f)) {
            throw new ConfigException(
                null, "config file " + f + " does not exist or is not readable by the driver");
          }
        });
    return Settings.load(
        KEYS,
        file,
        env,
        flags,
        PRODUCT_KEYS,
        key -> "Spark property " + JobSparkProperties.CONFIG_PREFIX + key);
  }

  /** {@code spark.fraudwatch.<key>} properties as config keys. */
  static Map<String, String> configFromSparkProperties(SparkConf conf) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (Tuple2<String, String> p : conf.getAllWithPrefix(JobSparkProperties.CONFIG_PREFIX)) {
      flags.put(p._1(), p._2());
    }
    return flags;
  }

  /**
   * Each {@code <key>-file} that is no readable path but the name of a file spark-submit shipped:
   * its local copy.
   */
  private static Map<String, String> withShippedFiles(Map<String, String> flags) {
    Map<String, String> resolved = new LinkedHashMap<>(flags);
    flags.forEach(
        (key, value) -> {
          if (key.endsWith("-file") && !Files.isReadable(Path.of(value))) {
            Path shipped = Path.of(SparkFiles.get(Path.of(value).getFileName().toString()));
            if (Files.isReadable(shipped)) {
              resolved.put(key, shipped.toString());
            }
          }
        });
    return resolved;
  }
}

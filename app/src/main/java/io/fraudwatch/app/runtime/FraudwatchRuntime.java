package io.fraudwatch.app.runtime;

import io.fraudwatch.config.Secret;
import io.fraudwatch.embedded.EmbeddedKafkaBroker;
import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.migrations.GroupRole;
import io.fraudwatch.migrations.Migrations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The services a command runs against. Whatever the config leaves unset (Kafka bootstrap servers,
 * JDBC URL) is started here, embedded, with its data under the work directory: a real KRaft broker
 * with the product's topics, and a real PostgreSQL migrated by Flyway with a job login and a
 * read-only analyst login.
 */
public final class FraudwatchRuntime implements AutoCloseable {
  static final String JOB_LOGIN = "fraudwatch";
  static final String ANALYST_LOGIN = "analyst";

  private final EmbeddedPostgresServer postgres;
  private final EmbeddedKafkaBroker kafka;
  private final Services services;
  private final Optional<Path> jobPasswordFile;

  private FraudwatchRuntime(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker kafka, Services services,
      Optional<Path> jobPasswordFile) {
    this.postgres = postgres;
    this.kafka = kafka;
    this.services = services;
    this.jobPasswordFile = jobPasswordFile;
  }

  public static FraudwatchRuntime start(RuntimeConfig config, PrintWriter progress) throws Exception {
    EmbeddedPostgresServer postgres = null;
    EmbeddedKafkaBroker kafka = null;
    try {
      String jdbcUrl;
      String jobUser;
      Optional<Secret> jobPassword;
      Optional<Services.AnalystAccess> analyst = Optional.empty();
      Optional<Path> jobPasswordFile = Optional.empty();
      if (config.database().embedded()) {
        long t0 = System.nanoTime();
        progress.printf("Starting embedded PostgreSQL (data in %s) ...%n", config.workDir().resolve("postgres"));
        progress.flush();
        postgres = EmbeddedPostgresServer.start(config.workDir().resolve("postgres"), config.embeddedPostgresPort());
        var report = Migrations.apply(postgres.superuserDataSource());
        Path secrets = config.workDir().resolve("secrets");
        jobPasswordFile = Optional.of(secrets.resolve("job.password"));
        Secret jobSecret = LocalSecrets.loadOrCreate(jobPasswordFile.get());
        Secret analystSecret = LocalSecrets.loadOrCreate(secrets.resolve("analyst.password"));
        Migrations.grantLogin(postgres.superuserDataSource(), GroupRole.JOB, JOB_LOGIN, jobSecret.reveal().toCharArray());
        Migrations.grantLogin(postgres.superuserDataSource(), GroupRole.ANALYST, ANALYST_LOGIN,
            analystSecret.reveal().toCharArray());
        Path pgpass = secrets.resolve("pgpass");
        LocalSecrets.writeOwnerOnly(pgpass, "*:*:*:" + ANALYST_LOGIN + ":" + analystSecret.reveal() + "\n");
        jdbcUrl = postgres.jdbcUrl();
        jobUser = JOB_LOGIN;
        jobPassword = Optional.of(jobSecret);
        analyst = Optional.of(new Services.AnalystAccess(ANALYST_LOGIN, "127.0.0.1", postgres.port(), "fraudwatch", pgpass));
        progress.printf("PostgreSQL ready on port %d in %.1f s, schema at version %s%n", postgres.port(),
            seconds(t0), report.currentVersion());
      } else {
        jdbcUrl = config.database().url().orElseThrow();
        jobUser = config.database().user();
        jobPassword = config.database().password();
      }

      String bootstrap;
      if (config.kafka().embedded()) {
        long t0 = System.nanoTime();
        progress.printf("Starting embedded Kafka broker (KRaft, log in %s) ...%n", config.workDir().resolve("kafka"));
        progress.flush();
        kafka = EmbeddedKafkaBroker.start(config.workDir().resolve("kafka"), config.embeddedKafkaPort());
        kafka.createTopics(config.kafka().topics().all(), config.kafka().partitions());
        bootstrap = kafka.bootstrapServers();
        progress.printf("Kafka ready in %.1f s with topics %s%n", seconds(t0), config.kafka().topics().all());
      } else {
        bootstrap = config.kafka().bootstrap().orElseThrow();
      }
      progress.flush();
      Services services = new Services(bootstrap, config.kafka().topics(), jdbcUrl, jobUser, jobPassword, analyst);
      return new FraudwatchRuntime(postgres, kafka, services, jobPasswordFile);
    } catch (Exception | Error e) {
      closeQuietly(kafka, postgres);
      throw e;
    }
  }

  public Services services() {
    return services;
  }

  /** The file holding the job login's generated password, for an embedded PostgreSQL. */
  public Optional<Path> jobPasswordFile() {
    return jobPasswordFile;
  }

  public boolean embeddedKafka() {
    return kafka != null;
  }

  public boolean embeddedPostgres() {
    return postgres != null;
  }

  /** The embedded PostgreSQL server, when this runtime started one. */
  public Optional<EmbeddedPostgresServer> embeddedPostgresServer() {
    return Optional.ofNullable(postgres);
  }

  /** The embedded Kafka broker, when this runtime started one. */
  public Optional<EmbeddedKafkaBroker> embeddedKafkaBroker() {
    return Optional.ofNullable(kafka);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  @Override
  public void close() {
    closeQuietly(kafka, postgres);
  }

  private static void closeQuietly(AutoCloseable... services) {
    for (AutoCloseable s : services) {
      if (s != null) {
        try {
          s.close();
        } catch (Exception e) {
          System.err.println("warning: stopping " + s + " failed: " + e);
        }
      }
    }
  }
}

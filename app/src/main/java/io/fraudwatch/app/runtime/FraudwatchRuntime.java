package io.fraudwatch.app.runtime;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.JvmShutdown;
import io.fraudwatch.config.PostgresTls;
import io.fraudwatch.config.Secret;
import io.fraudwatch.embedded.EmbeddedKafkaBroker;
import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.migrations.GroupRole;
import io.fraudwatch.migrations.Migrations;
import io.fraudwatch.scoring.job.KafkaClientSecurity;
import io.fraudwatch.scoring.job.SecretFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The services a command runs against. Whatever the config leaves unset (Kafka bootstrap servers,
 * JDBC URL) is started here, embedded, with its data under the work directory: a real KRaft broker
 * with the product's topics, and a real PostgreSQL migrated by Flyway with a job login, an operator
 * login, an investigator login and a read-only analyst login, whose passwords are generated into
 * owner-only files under {@code work/secrets/}.
 */
public final class FraudwatchRuntime implements AutoCloseable {
  static final String JOB_LOGIN = "fraudwatch";
  static final String ANALYST_LOGIN = "analyst";
  static final String OPERATOR_LOGIN = "operator";
  static final String INVESTIGATOR_LOGIN = "investigator";

  private final EmbeddedPostgresServer postgres;
  private final EmbeddedKafkaBroker kafka;
  private final Services services;

  private FraudwatchRuntime(
      EmbeddedPostgresServer postgres, EmbeddedKafkaBroker kafka, Services services) {
    this.postgres = postgres;
    this.kafka = kafka;
    this.services = services;
  }

  public static FraudwatchRuntime start(RuntimeConfig config, PrintWriter progress)
      throws Exception {
    return start(config, progress, true);
  }

  /**
   * PostgreSQL only, for commands that only read the database (the dashboard): no broker is
   * started, and the services' Kafka bootstrap servers are the configured ones, or null.
   */
  public static FraudwatchRuntime startDatabase(RuntimeConfig config, PrintWriter progress)
      throws Exception {
    return start(config, progress, false);
  }

  private static FraudwatchRuntime start(
      RuntimeConfig config, PrintWriter progress, boolean withKafka) throws Exception {
    EmbeddedPostgresServer postgres = null;
    EmbeddedKafkaBroker kafka = null;
    try {
      String jdbcUrl;
      String jobUser;
      Optional<Secret> jobPassword;
      Optional<Services.AnalystAccess> analyst = Optional.empty();
      Optional<Services.OperatorAccess> operator = Optional.empty();
      Optional<Services.InvestigatorAccess> investigator = Optional.empty();
      Optional<DataSource> owner = Optional.empty();
      if (config.database().embedded()) {
        long t0 = System.nanoTime();
        progress.printf(
            "Starting embedded PostgreSQL (data in %s) ...%n",
            config.workDir().resolve("postgres"));
        progress.flush();
        try {
          postgres =
              EmbeddedPostgresServer.start(
                  config.workDir().resolve("postgres"), config.embeddedPostgresPort());
        } catch (EmbeddedPostgresServer.InUseException e) {
          throw new CommandFailure(Cli.REFUSED, "embedded PostgreSQL: " + e.getMessage(), e);
        }
        JvmShutdown.alsoStopsPostgres();
        var report = Migrations.apply(postgres.superuserDataSource());
        Path secrets = config.workDir().resolve("secrets");
        Secret jobSecret = LocalSecrets.loadOrCreate(secrets.resolve("job.password"));
        Secret analystSecret = LocalSecrets.loadOrCreate(secrets.resolve("analyst.password"));
        Path operatorFile = secrets.resolve("operator.password");
        Secret operatorSecret = LocalSecrets.loadOrCreate(operatorFile);
        Path investigatorFile = secrets.resolve("investigator.password");
        Secret investigatorSecret = LocalSecrets.loadOrCreate(investigatorFile);
        Migrations.grantLogin(
            postgres.superuserDataSource(),
            GroupRole.JOB,
            JOB_LOGIN,
            jobSecret.reveal().toCharArray());
        Migrations.grantLogin(
            postgres.superuserDataSource(),
            GroupRole.ANALYST,
            ANALYST_LOGIN,
            analystSecret.reveal().toCharArray());
        Migrations.grantLogin(
            postgres.superuserDataSource(),
            GroupRole.OPERATOR,
            OPERATOR_LOGIN,
            operatorSecret.reveal().toCharArray());
        Migrations.grantLogin(
            postgres.superuserDataSource(),
            GroupRole.INVESTIGATOR,
            INVESTIGATOR_LOGIN,
            investigatorSecret.reveal().toCharArray());
        Path pgpass = secrets.resolve("pgpass");
        LocalSecrets.writeOwnerOnly(
            pgpass,
            "*:*:*:"
                + ANALYST_LOGIN
                + ":"
                + analystSecret.reveal()
                + "\n*:*:*:"
                + INVESTIGATOR_LOGIN
                + ":"
                + investigatorSecret.reveal()
                + "\n");
        jdbcUrl = postgres.jdbcUrl();
        jobUser = JOB_LOGIN;
        jobPassword = Optional.of(jobSecret);
        analyst =
            Optional.of(
                new Services.AnalystAccess(
                    ANALYST_LOGIN,
                    "127.0.0.1",
                    postgres.port(),
                    "fraudwatch",
                    pgpass,
                    analystSecret));
        operator = Optional.of(new Services.OperatorAccess(OPERATOR_LOGIN, operatorFile));
        investigator =
            Optional.of(
                new Services.InvestigatorAccess(
                    INVESTIGATOR_LOGIN,
                    investigatorFile,
                    analyst.get().psqlCommandAs(INVESTIGATOR_LOGIN)));
        owner = Optional.of(postgres.superuserDataSource());
        progress.printf(
            "PostgreSQL ready on port %d in %.1f s, schema at version %s%n",
            postgres.port(), seconds(t0), report.currentVersion());
      } else {
        jdbcUrl = config.database().url().orElseThrow();
        jobUser = config.database().user();
        jobPassword = config.database().password();
      }

      String bootstrap;
      if (!withKafka) {
        bootstrap = config.kafka().bootstrap().orElse(null);
      } else if (config.kafka().embedded()) {
        long t0 = System.nanoTime();
        progress.printf(
            "Starting embedded Kafka broker (KRaft, log in %s) ...%n",
            config.workDir().resolve("kafka"));
        progress.flush();
        kafka =
            EmbeddedKafkaBroker.start(
                config.workDir().resolve("kafka"), config.embeddedKafkaPort());
        kafka.createTopics(config.kafka().topics().all(), config.kafka().partitions());
        bootstrap = kafka.bootstrapServers();
        progress.printf(
            "Kafka ready in %.1f s with topics %s%n", seconds(t0), config.kafka().topics().all());
      } else {
        bootstrap = config.kafka().bootstrap().orElseThrow();
      }
      progress.flush();
      Services services =
          new Services(
              bootstrap,
              config.kafka().topics(),
              KafkaClientSecurity.of(config.kafka().security()),
              jdbcUrl,
              jobUser,
              jobPassword.map(SecretFile::of),
              config.database().embedded() ? PostgresTls.DRIVER_DEFAULT : config.database().tls(),
              analyst,
              operator,
              investigator,
              owner);
      return new FraudwatchRuntime(postgres, kafka, services);
    } catch (Exception | Error e) {
      closeQuietly(kafka, postgres);
      throw e;
    }
  }

  public Services services() {
    return services;
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

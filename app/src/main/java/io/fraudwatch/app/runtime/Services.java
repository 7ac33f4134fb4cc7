package io.fraudwatch.app.runtime;

import io.fraudwatch.config.PostgresTls;
import io.fraudwatch.config.Secret;
import io.fraudwatch.config.Topics;
import io.fraudwatch.scoring.job.JobSettings;
import io.fraudwatch.scoring.job.KafkaClientSecurity;
import io.fraudwatch.scoring.job.ScoringConfig;
import io.fraudwatch.scoring.job.SecretFile;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * How to reach the running services, as the job and its users see them.
 *
 * @param kafkaSecurity what every Kafka client gets (SASL, TLS), secrets as files
 * @param jobPassword the file with the job login's password, empty when it needs none
 * @param owner the embedded database's superuser, empty for a configured database (never handed to
 *     the job)
 */
public record Services(
    String kafkaBootstrap,
    Topics topics,
    KafkaClientSecurity kafkaSecurity,
    String jdbcUrl,
    String jobUser,
    Optional<SecretFile> jobPassword,
    PostgresTls jdbcTls,
    Optional<AnalystAccess> analyst,
    Optional<OperatorAccess> operator,
    Optional<InvestigatorAccess> investigator,
    Optional<DataSource> owner) {

  /** What the scoring job's executors need to reach these services. */
  public JobSettings jobSettings(ScoringConfig scoring, int poolSize) {
    return new JobSettings(
        scoring.jobName(),
        jdbcUrl,
        jobUser,
        jobPassword.orElse(null),
        poolSize,
        kafkaBootstrap,
        topics,
        scoring.historyRefresh(),
        scoring.labelDelay(),
        kafkaSecurity,
        JobSettings.JdbcTls.of(jdbcTls),
        scoring.outageTolerance(),
        scoring.lakePath(),
        scoring.maxEventTimeAhead());
  }

  /** The same services with other topics (the bench gives each system its own). */
  public Services withTopics(Topics other) {
    return new Services(
        kafkaBootstrap,
        other,
        kafkaSecurity,
        jdbcUrl,
        jobUser,
        jobPassword,
        jdbcTls,
        analyst,
        operator,
        investigator,
        owner);
  }

  /** {@code base} client properties with the bootstrap servers and the security settings added. */
  public Map<String, Object> kafkaClient(Map<String, Object> base) {
    Map<String, Object> all = kafkaSecurity.with(base);
    all.put("bootstrap.servers", kafkaBootstrap);
    return all;
  }

  /** A plain (unpooled) data source with the job's login, for a command's own reads and writes. */
  public PGSimpleDataSource jobDataSource() {
    return PostgresDataSource.of(
        jdbcUrl, jobUser, jobPassword.map(SecretFile::read), jdbcTls, "fraudwatch");
  }

  /**
   * A plain data source with the operator's login (model store and rules writes), when the runtime
   * knows it (embedded PostgreSQL).
   */
  public Optional<PGSimpleDataSource> operatorDataSource() {
    return operator.map(
        o ->
            PostgresDataSource.of(
                jdbcUrl,
                o.user(),
                Optional.of(new SecretFile(o.passwordFile().toString()).read()),
                jdbcTls,
                "fraudwatch"));
  }

  /**
   * A read-only login for people, with a pgpass file so the password never appears on a command
   * line (and the password itself, for the dashboard's connections).
   */
  public record AnalystAccess(
      String user,
      String host,
      int port,
      String database,
      java.nio.file.Path pgpassFile,
      Secret password) {
    public String psqlCommand() {
      return psqlCommandAs(user);
    }

    /** psql as another login whose password the same pgpass file holds. */
    public String psqlCommandAs(String login) {
      return "PGPASSFILE="
          + pgpassFile
          + " psql -h "
          + host
          + " -p "
          + port
          + " -U "
          + login
          + " "
          + database;
    }
  }

  /**
   * The operator's login of the embedded database (models CLI, maintenance) and the file with its
   * password.
   */
  public record OperatorAccess(String user, java.nio.file.Path passwordFile) {}

  /**
   * The investigator's login of the embedded database ({@code alerts list}, {@code alerts review},
   * psql), the file with its password, and the psql command line (its password in the pgpass file).
   */
  public record InvestigatorAccess(
      String user, java.nio.file.Path passwordFile, String psqlCommand) {}
}

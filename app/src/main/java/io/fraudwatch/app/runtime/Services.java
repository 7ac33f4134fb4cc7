package io.fraudwatch.app.runtime;

import io.fraudwatch.config.Secret;
import io.fraudwatch.config.Topics;
import io.fraudwatch.scoring.job.JobSettings;
import io.fraudwatch.scoring.job.ScoringConfig;
import java.util.Optional;
import org.postgresql.ds.PGSimpleDataSource;

/** How to reach the running services, as the job and its users see them. */
public record Services(String kafkaBootstrap, Topics topics, String jdbcUrl, String jobUser, Optional<Secret> jobPassword,
    Optional<AnalystAccess> analyst) {

  /** What the scoring job's executors need to reach these services. */
  public JobSettings jobSettings(ScoringConfig scoring, int poolSize) {
    return new JobSettings(scoring.jobName(), jdbcUrl, jobUser,
        new JobSettings.Password(jobPassword.map(Secret::reveal).orElse(null)), poolSize, kafkaBootstrap, topics,
        scoring.historyRefresh(), scoring.labelDelay(), scoring.outageTolerance());
  }

  /** A plain (unpooled) data source with the job's login, for a command's own reads and writes. */
  public PGSimpleDataSource jobDataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(jdbcUrl);
    ds.setUser(jobUser);
    jobPassword.ifPresent(p -> ds.setPassword(p.reveal()));
    return ds;
  }

  /** A read-only login for people, with a pgpass file so the password never appears on a command line. */
  public record AnalystAccess(String user, String host, int port, String database, java.nio.file.Path pgpassFile) {
    public String psqlCommand() {
      return "PGPASSFILE=" + pgpassFile + " psql -h " + host + " -p " + port + " -U " + user + " " + database;
    }
  }
}

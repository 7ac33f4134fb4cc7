package io.fraudwatch.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.app.CommandRun;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.Topics;
import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.migrations.GroupRole;
import io.fraudwatch.migrations.Migrations;
import io.fraudwatch.scoring.job.ExecutorResources;
import io.fraudwatch.scoring.job.JobSettings;
import io.fraudwatch.scoring.job.KafkaClientSecurity;
import io.fraudwatch.scoring.job.SecretFile;
import io.fraudwatch.testsupport.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL with TLS on and plain connections refused by pg_hba.conf: the product's {@code
 * jdbc.ssl-mode} and {@code jdbc.ssl-root-cert} reach every connection it makes (migrate, the
 * models CLI, the job's pools), verify the server against the configured CA, and refuse a server
 * whose certificate another CA signed.
 */
class PostgresTlsIT {

  @TempDir static Path dir;
  private static TestCertificates certs;
  private static TestCertificates otherCa;
  private static EmbeddedPostgresServer server;

  @BeforeAll
  static void startPostgresWithTlsOnly() throws Exception {
    certs = TestCertificates.create(dir.resolve("ca"), "fraudwatch-test-ca");
    otherCa = TestCertificates.create(dir.resolve("other-ca"), "someone-elses-ca");
    server =
        EmbeddedPostgresServer.start(
            dir.resolve("pg"),
            0,
            Map.of(
                "ssl",
                "on",
                "ssl_cert_file",
                certs.serverCert().toString(),
                "ssl_key_file",
                certs.serverKey().toString()));
    Files.writeString(
        server.dataDirectory().resolve("pg_hba.conf"),
        "hostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n");
    try (Connection c = server.superuserDataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_reload_conf()");
    }
  }

  @AfterAll
  static void stop() {
    ExecutorResources.closeAll();
    if (server != null) {
      server.close();
    }
  }

  private static Map<String, String> env(String user, String sslMode, Path rootCert) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "FRAUDWATCH_JDBC_URL",
                server.jdbcUrl(),
                "FRAUDWATCH_JDBC_USER",
                user,
                "FRAUDWATCH_JDBC_OPERATOR_USER",
                user,
                "FRAUDWATCH_JDBC_SSL_MODE",
                sslMode));
    if (rootCert != null) {
      env.put("FRAUDWATCH_JDBC_SSL_ROOT_CERT", rootCert.toString());
    }
    return env;
  }

  @Test
  void everyConnectionOfTheProductVerifiesTheServerAgainstTheConfiguredCa() throws Exception {
    CommandRun migrate = CommandRun.of(env("postgres", "verify-full", certs.caCert()), "migrate");
    assertThat(migrate.exit()).as(migrate.err()).isEqualTo(Cli.OK);
    Migrations.grantLogin(
        server.superuserDataSource(), GroupRole.JOB, "tls_job", "unused-with-trust".toCharArray());
    Migrations.grantLogin(
        server.superuserDataSource(),
        GroupRole.OPERATOR,
        "tls_ops",
        "unused-with-trust".toCharArray());

    CommandRun models =
        CommandRun.of(env("tls_ops", "verify-full", certs.caCert()), "models", "list");
    assertThat(models.exit()).as(models.err()).isEqualTo(Cli.OK);

    Path password = Files.writeString(dir.resolve("job.password"), "unused-with-trust");
    JobSettings job =
        new JobSettings(
            "tls-it",
            server.jdbcUrl(),
            "tls_job",
            new SecretFile(password.toString()),
            1,
            "127.0.0.1:1",
            new Topics("t", "l", "a", "d"),
            Duration.ofMinutes(1),
            Duration.ofDays(7),
            KafkaClientSecurity.PLAINTEXT,
            new JobSettings.JdbcTls("verify-full", new SecretFile(certs.caCert().toString())),
            Duration.ofMinutes(10),
            "",
            Duration.ofHours(1));
    try (Connection c = ExecutorResources.postgres(job).getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT ssl, current_user FROM pg_stat_ssl JOIN pg_stat_activity USING (pid)"
                    + " WHERE pid = pg_backend_pid()")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBoolean(1)).as("the job's pool uses TLS").isTrue();
      assertThat(rs.getString(2)).isEqualTo("tls_job");
    }
  }

  @Test
  void aServerCertificateFromAnotherCaIsRefused() {
    CommandRun run = CommandRun.of(env("postgres", "verify-full", otherCa.caCert()), "migrate");

    assertThat(run.exit()).isEqualTo(Cli.FAILURE);
    assertThat(run.err()).containsAnyOf("PKIX", "certificate", "SSL");
  }

  @Test
  void withoutTlsTheServerRefusesTheLogin() {
    for (List<String> args : List.of(List.of("migrate"), List.of("models", "list"))) {
      CommandRun run = CommandRun.of(env("postgres", "disable", null), args.toArray(String[]::new));

      assertThat(run.exit()).as(args + ": " + run.err()).isEqualTo(Cli.ACCESS_DENIED);
      assertThat(run.err()).contains("no encryption");
    }
  }
}

package io.fraudwatch.app;

import io.fraudwatch.app.runtime.RuntimeConfig;
import io.fraudwatch.app.runtime.Services;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What dev-env tells its user: where everything is, and lines ready to paste into another shell.
 */
final class DevEnvBanner {
  private DevEnvBanner() {}

  /**
   * Writes {@code dev-env.sh} with the exports another shell needs to reach the services; it names
   * the password file rather than holding the password.
   */
  static Path writeEnvFile(Path workDir, Services s) throws IOException {
    Path file = workDir.resolve("dev-env.sh");
    Files.write(
        file,
        List.of(
            "# written by bin/fraudwatch dev-env; source it in another shell to use the running services",
            "export FRAUDWATCH_KAFKA_BOOTSTRAP=" + s.kafkaBootstrap(),
            "export FRAUDWATCH_JDBC_URL='" + s.jdbcUrl() + "'",
            "export FRAUDWATCH_JDBC_USER=" + s.jobUser(),
            "export FRAUDWATCH_JDBC_PASSWORD_FILE=" + workDir.resolve("secrets/job.password"),
            "# the models CLI (and maintenance) log in as the operator",
            "export FRAUDWATCH_JDBC_OPERATOR_USER="
                + s.operator().map(Services.OperatorAccess::user).orElse("operator"),
            "export FRAUDWATCH_JDBC_OPERATOR_PASSWORD_FILE="
                + workDir.resolve("secrets/operator.password"),
            "# bin/fraudwatch alerts list / review log in as the investigator",
            "export FRAUDWATCH_JDBC_INVESTIGATOR_USER="
                + s.investigator().map(Services.InvestigatorAccess::user).orElse("investigator"),
            "export FRAUDWATCH_JDBC_INVESTIGATOR_PASSWORD_FILE="
                + workDir.resolve("secrets/investigator.password")));
    return file;
  }

  static void print(PrintWriter out, Services s, RuntimeConfig cfg, Path envFile, double seconds) {
    out.printf(
        "%nFraudwatch dev environment is up (%.1f s). Work directory: %s%n%n",
        seconds, cfg.workDir());
    out.println("  Kafka bootstrap servers  " + s.kafkaBootstrap());
    out.println(
        "  Topics                   "
            + String.join(", ", s.topics().all())
            + " ("
            + cfg.kafka().partitions()
            + " partitions when created)");
    out.println("  JDBC URL                 " + s.jdbcUrl());
    out.println(
        "  Job login                "
            + s.jobUser()
            + " (password in "
            + cfg.workDir().resolve("secrets/job.password")
            + ")");
    s.operator()
        .ifPresent(
            o ->
                out.println(
                    "  Operator login           "
                        + o.user()
                        + " (password in "
                        + o.passwordFile()
                        + "; bin/fraudwatch models uses it)"));
    s.analyst()
        .ifPresent(
            a -> {
              out.println();
              out.println("Analysts (read-only), from another shell:");
              out.println("  " + a.psqlCommand());
            });
    s.investigator()
        .ifPresent(
            i -> {
              out.println();
              out.println(
                  "Investigators (review alerts: bin/fraudwatch alerts list | alerts review ID, or SQL):");
              out.println("  " + i.psqlCommand());
            });
    out.println();
    out.println("Alerts as they arrive, one line each (after the source line below):");
    out.println("  bin/fraudwatch alerts tail --from-beginning");
    out.println(
        "or with Kafka's own console consumer (bin/ of a Kafka distribution; the values are Avro):");
    out.println(
        "  kafka-console-consumer.sh --bootstrap-server "
            + s.kafkaBootstrap()
            + " --topic "
            + s.topics().alerts()
            + " --from-beginning");
    out.println();
    out.println("Point other bin/fraudwatch commands at these services:");
    out.println("  source " + envFile);
    out.println();
    out.println(
        "The embedded PostgreSQL trusts every login from 127.0.0.1 without a password: for"
            + " development only.");
    out.println("Press Ctrl-C to stop.");
  }
}

package io.fraudwatch.app;

import io.fraudwatch.app.runtime.PostgresDataSource;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.DatabaseLogin;
import io.fraudwatch.config.DatabaseSettings;
import io.fraudwatch.config.Secret;
import io.fraudwatch.migrations.Migrations;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@DatabaseLogin(DatabaseLogin.Login.JOB)
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "Apply the database migrations to the configured PostgreSQL.",
      "Flyway migrations: schema fraudwatch, roles fraudwatch_job, fraudwatch_operator,",
      "fraudwatch_analyst and fraudwatch_investigator. The user needs the right to",
      "create schemas and roles.",
      "Embedded databases (dev-env, demo) are migrated when they start."
    })
final class MigrateCommand implements Callable<Integer> {

  @Mixin ConfigOptions config;
  @Spec CommandSpec spec;

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      description = "database to migrate (config key jdbc.url)")
  String jdbcUrl;

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description = "database user (config key jdbc.user)")
  String user;

  private final Map<String, String> env;

  MigrateCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    Map<String, String> flags = new LinkedHashMap<>();
    if (jdbcUrl != null) flags.put("jdbc.url", jdbcUrl);
    if (user != null) flags.put("jdbc.user", user);
    DatabaseSettings db = DatabaseSettings.from(config.load(DatabaseSettings.KEYS, env, flags));
    String url =
        db.url()
            .orElseThrow(
                () ->
                    new CommandFailure(
                        Cli.USAGE,
                        "no database configured: set jdbc.url (FRAUDWATCH_JDBC_URL, --jdbc-url or the config file)"));
    PGSimpleDataSource ds =
        PostgresDataSource.of(
            url, db.user(), db.password().map(Secret::reveal), db.tls(), "fraudwatch migrate");
    PrintWriter out = spec.commandLine().getOut();
    out.println("Migrating " + db.redactedUrl().orElseThrow() + " as " + db.user() + " ...");
    out.flush();
    var report = Migrations.apply(ds);
    out.println(report);
    return Cli.OK;
  }
}

package io.fraudwatch.models.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.DatabaseLogin;
import io.fraudwatch.config.DatabaseSettings;
import io.fraudwatch.config.Secret;
import io.fraudwatch.features.FeatureSchema;
import io.fraudwatch.features.HandbookFeatures;
import java.sql.SQLException;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bin/fraudwatch models ...}: list, compare, promote and roll back model versions, move them
 * between databases, and fit a batch version. The environment comes in as a map so tests can give
 * their own.
 */
@DatabaseLogin(DatabaseLogin.Login.OPERATOR)
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description =
        "Model versions: list, show, diff, promote, rollback, history, export, import, train.",
    subcommands = {
      ListCommand.class,
      ShowCommand.class,
      DiffCommand.class,
      PromoteCommand.class,
      RollbackCommand.class,
      HistoryCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      TrainCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:failure (database unreachable, unexpected error)",
      "2:usage or configuration error",
      "3:version, model or file not found",
      "4:refused (conflict, validation, tampered file, file too large)",
      "6:the database refused the operator's login"
    })
public final class ModelsCommand implements Runnable {

  private final Map<String, String> env;
  private final FeatureSchema currentSchema;

  @Spec CommandSpec spec;

  /** The product's command: versions must be on the current handbook feature set. */
  public ModelsCommand(Map<String, String> env) {
    this(env, HandbookFeatures.SCHEMA);
  }

  /**
   * {@code currentSchema}: the feature set the scoring job computes; only versions on it are stored
   * or promoted.
   */
  public ModelsCommand(Map<String, String> env, FeatureSchema currentSchema) {
    this.env = Map.copyOf(env);
    this.currentSchema = currentSchema;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand");
  }

  Map<String, String> env() {
    return env;
  }

  FeatureSchema currentSchema() {
    return currentSchema;
  }

  /**
   * A small pool on the configured database as the operator's login ({@code jdbc.operator-user});
   * exit 2 with directions when none is configured, 6 when the database refuses the login.
   */
  HikariDataSource openDatabase(ConfigOptions config) {
    return openDatabase(config, env);
  }

  /** {@link #openDatabase(ConfigOptions)} for any command of the operator (models, rules). */
  static HikariDataSource openDatabase(ConfigOptions config, Map<String, String> env) {
    DatabaseSettings db = DatabaseSettings.from(config.load(DatabaseSettings.KEYS, env, Map.of()));
    if (db.embedded()) {
      throw new CommandFailure(
          Cli.USAGE,
          "no database configured (jdbc.url is unset). Start one with "
              + "`bin/fraudwatch dev-env` and `source work/dev-env.sh` (it exports FRAUDWATCH_JDBC_URL, "
              + "FRAUDWATCH_JDBC_OPERATOR_USER and FRAUDWATCH_JDBC_OPERATOR_PASSWORD_FILE), or pass --config FILE or "
              + "--set jdbc.url=...");
    }
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("model-store");
    hc.setJdbcUrl(db.url().get());
    hc.setUsername(db.operatorUser());
    db.operatorPassword().map(Secret::reveal).ifPresent(hc::setPassword);
    db.tls().driverProperties().forEach(hc::addDataSourceProperty);
    hc.addDataSourceProperty("ApplicationName", "fraudwatch models");
    hc.addDataSourceProperty(
        "loginTimeout", Integer.toString(DatabaseSettings.LOGIN_TIMEOUT_SECONDS));
    hc.setMaximumPoolSize(Math.min(db.poolSize(), 2));
    hc.setConnectionTimeout(10_000);
    try {
      return new HikariDataSource(hc);
    } catch (HikariPool.PoolInitializationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      boolean refused =
          cause instanceof SQLException sql
              && sql.getSQLState() != null
              && sql.getSQLState().startsWith("28");
      throw new CommandFailure(
          refused ? Cli.ACCESS_DENIED : Cli.FAILURE,
          "cannot connect to PostgreSQL at "
              + db.redactedUrl().get()
              + " as "
              + db.operatorUser()
              + ": "
              + cause.getMessage(),
          e);
    }
  }
}

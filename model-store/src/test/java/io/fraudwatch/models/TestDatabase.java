package io.fraudwatch.models;

import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.migrations.GroupRole;
import io.fraudwatch.migrations.Migrations;
import io.fraudwatch.testsupport.SharedPostgres;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A migrated database on a real embedded PostgreSQL for ITs, injected as a parameter. One server
 * per test JVM; each test class gets its own database (model versions cannot be deleted, so classes
 * must not share one). The store is used as {@value #OPERATOR}, a login in the operator's group
 * role, as the models CLI does, or as {@value #JOB}, a login in the job's group role, as the
 * scoring job does.
 */
public record TestDatabase(EmbeddedPostgresServer server, String name) {

  public static final String OPERATOR = "models_it_operator";
  public static final String JOB = "models_it_job";
  public static final String ANALYST = "models_it_analyst";

  /** Creates and migrates another database on the same server (e.g. the target of an import). */
  public TestDatabase sibling(String suffix) {
    return create(server, name + "_" + suffix);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + name;
  }

  public DataSource as(String user) {
    return SharedPostgres.dataSource(server, name, user, null);
  }

  public DataSource operator() {
    return as(OPERATOR);
  }

  public DataSource job() {
    return as(JOB);
  }

  public DataSource superuser() {
    return as(server.superuser());
  }

  /**
   * The environment a CLI run gets: this database, as the operator (the embedded server trusts
   * local logins).
   */
  public Map<String, String> env() {
    return Map.of(
        "FRAUDWATCH_JDBC_URL",
        jdbcUrl(),
        "FRAUDWATCH_JDBC_OPERATOR_USER",
        OPERATOR,
        "USER",
        "it-operator");
  }

  static TestDatabase create(EmbeddedPostgresServer server, String name) {
    try {
      Migrations.apply(SharedPostgres.createDatabase(server, name));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return new TestDatabase(server, name);
  }

  /**
   * Resolves {@link TestDatabase} parameters: a fresh database per test class on the JVM's shared
   * server.
   */
  public static final class Extension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(TestDatabase.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      EmbeddedPostgresServer server = SharedPostgres.server(context);
      context
          .getRoot()
          .getStore(NAMESPACE)
          .computeIfAbsent("logins", k -> grantLogins(server), TestDatabase.class);
      String name =
          "models_" + context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT);
      return context
          .getStore(NAMESPACE)
          .computeIfAbsent(TestDatabase.class, k -> create(server, name), TestDatabase.class);
    }
  }

  /**
   * Creates the logins, which are cluster-wide, through a database of their own; once per server.
   */
  private static TestDatabase grantLogins(EmbeddedPostgresServer server) {
    TestDatabase bootstrap = create(server, "models_roles");
    try {
      Migrations.grantLogin(
          bootstrap.superuser(), GroupRole.OPERATOR, OPERATOR, "unused-with-trust".toCharArray());
      Migrations.grantLogin(
          bootstrap.superuser(), GroupRole.JOB, JOB, "unused-with-trust".toCharArray());
      Migrations.grantLogin(
          bootstrap.superuser(), GroupRole.ANALYST, ANALYST, "unused-with-trust".toCharArray());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the test logins", e);
    }
    return bootstrap;
  }
}

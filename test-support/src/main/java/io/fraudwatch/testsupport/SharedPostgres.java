package io.fraudwatch.testsupport;

import io.fraudwatch.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One embedded PostgreSQL for all ITs of the test JVM, injected as an {@link
 * EmbeddedPostgresServer} parameter ({@code @ExtendWith(SharedPostgres.class)}). Each test class
 * creates its own database, so classes stay independent while the roles, which are cluster-wide,
 * get exercised across databases the way production shares them. The server stops, and its data
 * directory goes, when the test JVM's JUnit run ends.
 */
public final class SharedPostgres implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedPostgres.class);

  /**
   * Prepares a fresh database, as its superuser, for {@code login} (e.g. migrates it and grants the
   * login a role).
   */
  @FunctionalInterface
  public interface LoginSetup {
    void prepare(DataSource superuser, String login, char[] password) throws SQLException;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedPostgresServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(context);
  }

  /**
   * The test JVM's server, started on first use; for extensions that build their own fixtures on
   * it.
   */
  public static EmbeddedPostgresServer server(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(Server.class, key -> Server.start(), Server.class)
        .server;
  }

  /** Creates database {@code name} and returns a superuser data source on it. */
  public static DataSource createDatabase(EmbeddedPostgresServer server, String name)
      throws SQLException {
    try (Connection c = server.superuserDataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name); // a test-owned identifier (DDL takes no parameters)
    }
    return dataSource(server, name, server.superuser(), null);
  }

  /**
   * Creates database {@code name}, lets {@code setup} prepare it for {@code login} and returns a
   * data source as that login.
   */
  public static DataSource loginDatabase(
      EmbeddedPostgresServer server, String name, String login, String password, LoginSetup setup)
      throws SQLException {
    setup.prepare(createDatabase(server, name), login, password.toCharArray());
    return dataSource(server, name, login, password);
  }

  /**
   * A data source on database {@code database} as {@code user} ({@code password} may be null: local
   * logins are trusted).
   */
  public static DataSource dataSource(
      EmbeddedPostgresServer server, String database, String user, String password) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {server.port()});
    ds.setDatabaseName(database);
    ds.setUser(user);
    ds.setPassword(password);
    return ds;
  }

  /**
   * A data source on the same server and database as {@code login}, as the superuser (e.g. to empty
   * tables).
   */
  public static DataSource superuserOf(DataSource login) {
    PGSimpleDataSource l = (PGSimpleDataSource) login;
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(l.getServerNames());
    ds.setPortNumbers(l.getPortNumbers());
    ds.setDatabaseName(l.getDatabaseName());
    ds.setUser(EmbeddedPostgresServer.SUPERUSER);
    return ds;
  }

  private record Server(EmbeddedPostgresServer server, Path dataDirectory)
      implements AutoCloseable {
    static Server start() {
      try {
        Path dir =
            Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "it-pg");
        return new Server(EmbeddedPostgresServer.start(dir), dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      try (Stream<Path> files = Files.walk(dataDirectory)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}

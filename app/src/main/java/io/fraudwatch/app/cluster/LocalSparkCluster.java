package io.fraudwatch.app.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on this machine: one Master JVM and N Worker JVMs, whose
 * classpath holds Spark's jars only (a Spark home whose {@code jars/} links the jars of a Spark
 * distribution). The Workers fork the executors, and in cluster deploy mode the driver, as JVMs of
 * their own; the application's code reaches them only through the job jar that spark-submit ships.
 *
 * <p>The directory keeps the daemon logs ({@code logs/}) and each driver's and executor's
 * stdout/stderr ({@code worker-N/<driver or app>/...}) after the cluster stops.
 */
public final class LocalSparkCluster implements AutoCloseable {
  public static final String EXECUTOR_MAIN =
      "org.apache.spark.executor.CoarseGrainedExecutorBackend";
  public static final String DRIVER_MAIN = "org.apache.spark.deploy.worker.DriverWrapper";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Cluster shape.
   *
   * @param sparkJars the jars of the Spark home (a distribution's jars/)
   * @param jvmFlags flags of the Master and Worker JVMs (the Java module options Spark needs)
   */
  public record Options(
      Path dir,
      List<Path> sparkJars,
      List<String> jvmFlags,
      int workers,
      int coresPerWorker,
      String workerMemory) {
    public Options {
      if (workers < 1 || coresPerWorker < 1) {
        throw new IllegalArgumentException("a cluster needs at least one worker with one core");
      }
    }
  }

  /** A JVM the Workers started: a driver or an executor of an application. */
  public record ForkedJvm(ProcessHandle process, String kind, String id, String appId) {}

  private final Options options;
  private final List<Process> daemons = new ArrayList<>(); // master first
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Thread shutdownHook = new Thread(this::close, "local-spark-cluster-shutdown");
  private int masterPort;
  private int masterUiPort;
  private boolean closed;

  private LocalSparkCluster(Options options) {
    this.options = options;
  }

  /**
   * Starts the Master, then the Workers, and returns once every Worker registered; stops all on
   * failure.
   */
  public static LocalSparkCluster start(Options options) throws IOException {
    LocalSparkCluster cluster = new LocalSparkCluster(options);
    try {
      cluster.startDaemons();
      return cluster;
    } catch (IOException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * Starts the cluster in the background, while the caller starts other things; {@link #await} it.
   */
  public static CompletableFuture<LocalSparkCluster> startInBackground(Options options) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return start(options);
          } catch (IOException e) {
            throw new CompletionException(e);
          }
        });
  }

  /**
   * The cluster once started in the background; its failure to start as thrown by {@link #start}.
   */
  public static LocalSparkCluster await(CompletableFuture<LocalSparkCluster> starting)
      throws IOException {
    try {
      return starting.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw e;
    }
  }

  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  public String masterUiUrl() {
    return "http://127.0.0.1:" + masterUiPort;
  }

  /**
   * The Spark home the daemons run from: {@code jars/} holds links to the Spark jars and nothing
   * else.
   */
  public Path sparkHome() {
    return options.dir().resolve("sparkhome");
  }

  public Path dir() {
    return options.dir();
  }

  /** Every JVM of the cluster that is running now: Master, Workers and what the Workers forked. */
  public List<ProcessHandle> jvms() {
    return daemons.stream()
        .map(Process::toHandle)
        .flatMap(d -> Stream.concat(Stream.of(d), d.descendants()))
        .filter(ProcessHandle::isAlive)
        .toList();
  }

  /** The drivers and executors the Workers run now. */
  public List<ForkedJvm> forked() {
    List<ForkedJvm> forked = new ArrayList<>();
    for (Process daemon : daemons.subList(Math.min(1, daemons.size()), daemons.size())) {
      daemon
          .toHandle()
          .descendants()
          .filter(ProcessHandle::isAlive)
          .forEach(
              jvm -> {
                List<String> args = arguments(jvm);
                if (args.contains(EXECUTOR_MAIN)) {
                  forked.add(
                      new ForkedJvm(
                          jvm,
                          "executor",
                          argument(args, "--executor-id"),
                          argument(args, "--app-id")));
                } else if (args.contains(DRIVER_MAIN)) {
                  forked.add(new ForkedJvm(jvm, "driver", "", ""));
                }
              });
    }
    return forked;
  }

  /** The executor JVMs running now. */
  public List<ForkedJvm> executors() {
    return forked().stream().filter(j -> j.kind().equals("executor")).toList();
  }

  /** The driver JVMs (cluster deploy mode) running now. */
  public List<ForkedJvm> drivers() {
    return forked().stream().filter(j -> j.kind().equals("driver")).toList();
  }

  /**
   * The Master's view of the cluster ({@code /json/}): workers, applications and drivers with their
   * states.
   */
  public JsonNode masterState() throws IOException, InterruptedException {
    HttpRequest get =
        HttpRequest.newBuilder(URI.create(masterUiUrl() + "/json/"))
            .timeout(Duration.ofSeconds(5))
            .build();
    return JSON.readTree(http.send(get, HttpResponse.BodyHandlers.ofString()).body());
  }

  /** The ids of the applications the Master runs now. */
  public List<String> activeApplications() throws IOException, InterruptedException {
    List<String> ids = new ArrayList<>();
    masterState().path("activeapps").forEach(app -> ids.add(app.path("id").asText()));
    return ids;
  }

  /** The drivers the Master knows (active and completed), by id: their states. */
  public Map<String, String> driverStates() throws IOException, InterruptedException {
    Map<String, String> states = new LinkedHashMap<>();
    JsonNode state = masterState();
    for (String list : List.of("completeddrivers", "activedrivers")) {
      state.path(list).forEach(d -> states.put(d.path("id").asText(), d.path("state").asText()));
    }
    return states;
  }

  /** Each executor's log (stderr), by executor id, for every application the Workers ran. */
  public Map<String, Path> executorLogs() throws IOException {
    Map<String, Path> byId = new LinkedHashMap<>();
    try (Stream<Path> files =
        Files.find(
            options.dir(),
            4,
            (p, attrs) ->
                p.getFileName().toString().equals("stderr")
                    && p.getParent().getParent().getFileName().toString().startsWith("app-"))) {
      files.forEach(f -> byId.put(f.getParent().getFileName().toString(), f));
    }
    return byId;
  }

  /** The log (stderr) of a driver the Workers ran, by driver id. */
  public Optional<Path> driverLog(String driverId) throws IOException {
    try (Stream<Path> files =
        Files.find(
            options.dir(),
            3,
            (p, attrs) ->
                p.getFileName().toString().equals("stderr")
                    && p.getParent().getFileName().toString().equals(driverId))) {
      return files.findFirst();
    }
  }

  private void startDaemons() throws IOException {
    killLeftovers(options.dir());
    for (Path old :
        List.of(options.dir().resolve("logs"), options.dir().resolve("tmp"), sparkHome())) {
      deleteRecursively(old);
    }
    for (int i = 1; i <= options.workers(); i++) {
      deleteRecursively(workerDir(i));
    }
    Path jars = Files.createDirectories(sparkHome().resolve("jars"));
    for (Path jar : options.sparkJars()) {
      Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
    }
    Files.createDirectories(sparkHome().resolve("conf"));
    Path logs = Files.createDirectories(options.dir().resolve("logs"));
    Runtime.getRuntime().addShutdownHook(shutdownHook);

    masterPort = freePort();
    masterUiPort = freePort();
    daemons.add(
        spawn(
            "master",
            logs,
            List.of(
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(masterPort),
                "--webui-port",
                Integer.toString(masterUiPort))));
    awaitDaemons(
        "the master to be ALIVE",
        Duration.ofSeconds(90),
        () -> masterState().path("status").asText().equals("ALIVE"));
    for (int i = 1; i <= options.workers(); i++) {
      daemons.add(
          spawn(
              "worker-" + i,
              logs,
              List.of(
                  "org.apache.spark.deploy.worker.Worker",
                  "--host",
                  "127.0.0.1",
                  "--port",
                  "0",
                  "--webui-port",
                  "0",
                  "--cores",
                  Integer.toString(options.coresPerWorker()),
                  "--memory",
                  options.workerMemory(),
                  "--work-dir",
                  Files.createDirectories(workerDir(i)).toString(),
                  masterUrl())));
    }
    awaitDaemons(
        options.workers() + " workers to register",
        Duration.ofSeconds(120),
        () -> masterState().path("aliveworkers").asInt() == options.workers());
  }

  private Path workerDir(int worker) {
    return options.dir().resolve("worker-" + worker);
  }

  private Process spawn(String name, Path logs, List<String> mainAndArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.addAll(options.jvmFlags());
    cmd.add(
        "-Dspark.master.rest.enabled=false"); // no fixed REST port 6066: parallel clusters do not
    // clash
    // also the Workers' local dirs, handed to their executors for shuffle and broadcast blocks
    cmd.add("-Djava.io.tmpdir=" + Files.createDirectories(options.dir().resolve("tmp")));
    cmd.add("-cp");
    cmd.add(sparkHome().resolve("jars") + "/*");
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve(name + ".log").toFile());
    Map<String, String> env = pb.environment();
    // nothing of the caller's Spark or Fraudwatch set-up (or secrets) reaches the daemons and what
    // they fork
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("SPARK_")
                    || k.startsWith("_SPARK")
                    || k.startsWith("FRAUDWATCH_")
                    || k.equals("CLASSPATH"));
    env.put("SPARK_HOME", sparkHome().toString());
    env.put("SPARK_SCALA_VERSION", "2.13"); // else the launcher looks for Spark's build directories
    env.put("SPARK_LOCAL_IP", "127.0.0.1"); // bind everything to loopback
    Process p = pb.start();
    Files.writeString(options.dir().resolve(name + ".pid"), Long.toString(p.pid()));
    return p;
  }

  /** Waits for the condition; fails at once when a daemon died (its log says why). */
  private void awaitDaemons(String what, Duration atMost, Callable<Boolean> condition)
      throws IOException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (true) {
      for (Process d : daemons) {
        if (!d.isAlive()) {
          throw new IOException(
              "a cluster daemon (pid "
                  + d.pid()
                  + ") exited with "
                  + d.exitValue()
                  + " while waiting for "
                  + what
                  + "; see "
                  + options.dir().resolve("logs"));
        }
      }
      try {
        if (condition.call()) {
          return;
        }
      } catch (IOException e) {
        // the web UI is not up yet
      } catch (Exception e) {
        throw new IOException("waiting for " + what + ": " + e, e);
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "timed out after "
                + atMost.toSeconds()
                + " s waiting for "
                + what
                + "; see "
                + options.dir().resolve("logs"));
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + what, e);
      }
    }
  }

  /**
   * Stops the Workers (their shutdown hooks kill what they forked), then the Master; kills whatever
   * is left.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: this is the hook
    }
    List<ProcessHandle> forked = daemons.stream().flatMap(d -> d.toHandle().descendants()).toList();
    for (int i = daemons.size() - 1; i >= 0; i--) {
      stop(daemons.get(i).toHandle());
    }
    forked.forEach(LocalSparkCluster::stop);
    try (Stream<Path> pidFiles = Files.list(options.dir())) {
      for (Path f : pidFiles.filter(f -> f.toString().endsWith(".pid")).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      // pid files only help the next run find leftovers; it checks their command lines anyway
    }
  }

  private static void stop(ProcessHandle jvm) {
    if (!jvm.isAlive()) {
      return;
    }
    jvm.destroy(); // SIGTERM: Spark's shutdown hooks run
    try {
      jvm.onExit().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      jvm.destroyForcibly();
    }
  }

  /**
   * Kills the daemons of an earlier run that ended without close() (pid files, checked against the
   * command line).
   */
  private static void killLeftovers(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> pidFiles = Files.list(dir)) {
      for (Path f : pidFiles.filter(f -> f.toString().endsWith(".pid")).toList()) {
        ProcessHandle.of(Long.parseLong(Files.readString(f).trim()))
            .filter(
                h -> arguments(h).stream().anyMatch(a -> a.startsWith("org.apache.spark.deploy.")))
            .ifPresent(
                h -> {
                  h.descendants().forEach(ProcessHandle::destroyForcibly);
                  h.destroyForcibly();
                });
        Files.delete(f);
      }
    }
  }

  /**
   * A process's command line from /proc (Linux): ProcessHandle.Info drops the arguments of command
   * lines longer than a page, and these hold whole classpaths.
   */
  public static List<String> arguments(ProcessHandle jvm) {
    try {
      return List.of(
          Files.readString(Path.of("/proc", Long.toString(jvm.pid()), "cmdline")).split("\0"));
    } catch (IOException e) {
      return List.of(); // exited meanwhile
    }
  }

  private static String argument(List<String> args, String flag) {
    int i = args.indexOf(flag);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : "";
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}

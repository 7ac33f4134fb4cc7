package io.fraudwatch.app.job;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on this machine: one Master JVM and N Worker JVMs started with
 * {@code java -cp <this JVM's classpath>}; the Workers fork one executor JVM per application.
 *
 * <p>No Spark distribution is needed: the daemons get a fake SPARK_HOME (empty jars/ and conf/),
 * SPARK_SCALA_VERSION=2.13 (else the launcher looks for build directories and fails) and
 * SPARK_DIST_CLASSPATH = the test classpath, which the Workers append to every executor's classpath.
 * The directory keeps the daemon logs ({@code logs/}) and each executor's stdout/stderr
 * ({@code worker-N/<app>/<executor>/}) after the cluster stops.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
  private static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

  /** Cluster shape; {@code jvmFlags} go to the Master and Workers (executors get theirs from the application). */
  record Options(Path dir, String classpath, List<String> jvmFlags, int workers, int coresPerWorker,
      String workerMemory) {

    /** Daemons on this JVM's classpath with its flags (Spark's add-opens), minus heap size, tmpdir and agents. */
    static Options inheritingThisJvm(Path dir, int workers, int coresPerWorker, String workerMemory) {
      List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .filter(a -> !a.startsWith("-Xmx") && !a.startsWith("-Djava.io.tmpdir") && !a.startsWith("-javaagent")
              && !a.startsWith("-agentlib"))
          .toList();
      return new Options(dir, System.getProperty("java.class.path"), flags, workers, coresPerWorker, workerMemory);
    }
  }

  private final Options options;
  private final List<Process> daemons = new ArrayList<>(); // master first
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Thread shutdownHook = new Thread(this::close, "standalone-cluster-shutdown");
  private int masterPort;
  private int masterUiPort;
  private boolean closed;

  private StandaloneCluster(Options options) {
    this.options = options;
  }

  /** Starts the Master, then the Workers, and returns once every Worker registered; stops all on failure. */
  static StandaloneCluster start(Options options) throws IOException {
    StandaloneCluster cluster = new StandaloneCluster(options);
    try {
      cluster.startDaemons();
      return cluster;
    } catch (IOException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** Every JVM of the cluster that is running now: Master, Workers and the executors the Workers forked. */
  List<ProcessHandle> jvms() {
    return daemons.stream().map(Process::toHandle)
        .flatMap(d -> Stream.concat(Stream.of(d), d.descendants()))
        .filter(ProcessHandle::isAlive)
        .toList();
  }

  /** The executor JVMs running now, by Spark executor id (from their command line). */
  Map<String, ProcessHandle> executors() {
    Map<String, ProcessHandle> byId = new HashMap<>();
    for (ProcessHandle jvm : jvms()) {
      List<String> args = arguments(jvm);
      int id = args.indexOf("--executor-id");
      if (args.contains(EXECUTOR_MAIN) && id >= 0 && id + 1 < args.size()) {
        byId.put(args.get(id + 1), jvm);
      }
    }
    return byId;
  }

  /** Each executor's stderr (its log), by executor id, for every application the Workers ran. */
  Map<String, Path> executorLogs() throws IOException {
    Map<String, Path> byId = new HashMap<>();
    try (Stream<Path> files = Files.find(options.dir(), 4, (p, attrs) -> p.getFileName().toString().equals("stderr")
        && p.getParent().getParent().getFileName().toString().startsWith("app-"))) {
      files.forEach(f -> byId.put(f.getParent().getFileName().toString(), f));
    }
    return byId;
  }

  private void startDaemons() throws IOException {
    killLeftovers(options.dir());
    for (Path old : List.of(options.dir().resolve("logs"), options.dir().resolve("tmp"))) {
      deleteRecursively(old);
    }
    for (int i = 1; i <= options.workers(); i++) {
      deleteRecursively(workerDir(i));
    }
    Path home = options.dir().resolve("sparkhome");
    Files.createDirectories(home.resolve("jars")); // must exist (the launcher's findJarsDir); may stay empty
    Files.createDirectories(home.resolve("conf"));
    Path logs = Files.createDirectories(options.dir().resolve("logs"));
    Runtime.getRuntime().addShutdownHook(shutdownHook);

    masterPort = freePort();
    masterUiPort = freePort();
    daemons.add(spawn("master", logs, home, List.of("org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(masterUiPort))));
    awaitDaemons("the master to be ALIVE", Duration.ofSeconds(90), () -> masterJson().contains("\"status\" : \"ALIVE\""));
    for (int i = 1; i <= options.workers(); i++) {
      daemons.add(spawn("worker-" + i, logs, home, List.of("org.apache.spark.deploy.worker.Worker",
          "--host", "127.0.0.1", "--port", "0", "--webui-port", "0",
          "--cores", Integer.toString(options.coresPerWorker()), "--memory", options.workerMemory(),
          "--work-dir", Files.createDirectories(workerDir(i)).toString(), masterUrl())));
    }
    awaitDaemons(options.workers() + " workers to register", Duration.ofSeconds(120),
        () -> aliveWorkers() == options.workers());
  }

  private Path workerDir(int worker) {
    return options.dir().resolve("worker-" + worker);
  }

  private Process spawn(String name, Path logs, Path home, List<String> mainAndArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.addAll(options.jvmFlags());
    cmd.add("-Dspark.master.rest.enabled=false"); // no fixed REST port 6066: parallel clusters do not clash
    // also the Workers' local dirs, handed to their executors for shuffle and broadcast blocks
    cmd.add("-Djava.io.tmpdir=" + Files.createDirectories(options.dir().resolve("tmp")));
    cmd.add("-cp");
    cmd.add(options.classpath());
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(logs.resolve(name + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("SPARK_") || k.startsWith("_SPARK"));
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_DIST_CLASSPATH", options.classpath());
    env.put("SPARK_LOCAL_IP", "127.0.0.1"); // bind everything to loopback
    Process p = pb.start();
    Files.writeString(options.dir().resolve(name + ".pid"), Long.toString(p.pid()));
    return p;
  }

  private String masterJson() throws IOException, InterruptedException {
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
        .timeout(Duration.ofSeconds(5)).build();
    return http.send(get, HttpResponse.BodyHandlers.ofString()).body();
  }

  private int aliveWorkers() throws IOException, InterruptedException {
    Matcher m = ALIVE_WORKERS.matcher(masterJson());
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** Waits for the condition; fails at once when a daemon died (its log says why). */
  private void awaitDaemons(String what, Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
    await("cluster: " + what).atMost(atMost).pollInterval(Duration.ofMillis(250))
        .ignoreExceptionsInstanceOf(IOException.class) // web UI not up yet
        .until(() -> {
          for (Process d : daemons) {
            if (!d.isAlive()) {
              throw new IllegalStateException("a cluster daemon (pid " + d.pid() + ") exited with " + d.exitValue()
                  + " while waiting for " + what + "; see " + options.dir().resolve("logs"));
            }
          }
          return condition.call();
        });
  }

  /** Stops the Workers (their shutdown hooks kill their executors), then the Master; kills whatever is left. */
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
    List<ProcessHandle> executors = daemons.stream().flatMap(d -> d.toHandle().descendants()).toList();
    for (int i = daemons.size() - 1; i >= 0; i--) {
      stop(daemons.get(i).toHandle());
    }
    executors.forEach(StandaloneCluster::stop);
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

  /** Kills the daemons of an earlier run that ended without close() (pid files, checked against the command line). */
  private static void killLeftovers(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> pidFiles = Files.list(dir)) {
      for (Path f : pidFiles.filter(f -> f.toString().endsWith(".pid")).toList()) {
        ProcessHandle.of(Long.parseLong(Files.readString(f).trim()))
            .filter(h -> arguments(h).stream().anyMatch(a -> a.startsWith("org.apache.spark.deploy.")))
            .ifPresent(h -> {
              h.descendants().forEach(ProcessHandle::destroyForcibly);
              h.destroyForcibly();
            });
        Files.delete(f);
      }
    }
  }

  /**
   * A process's command line from /proc (Linux): ProcessHandle.Info drops the arguments of command
   * lines longer than a page, and these hold the whole classpath.
   */
  private static List<String> arguments(ProcessHandle jvm) {
    try {
      return List.of(Files.readString(Path.of("/proc", Long.toString(jvm.pid()), "cmdline")).split("\0"));
    } catch (IOException e) {
      return List.of(); // exited meanwhile
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> {
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

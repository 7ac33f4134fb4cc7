package io.fraudwatch.app.bench;

import io.fraudwatch.app.cluster.LocalSparkCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Measures the executor JVMs of a local cluster from outside, with the JDK's own tools: {@code jcmd
 * <pid> GC.run} (a full collection, so that what is left is live) then {@code GC.heap_info}; the
 * peak RSS from {@code /proc/<pid>/status}; the history snapshots from each executor's log.
 */
public final class ExecutorProbe {
  private static final long JCMD_TIMEOUT_SECONDS = 120;

  private final LocalSparkCluster cluster;
  private final Optional<Path> jcmd;
  private final Map<String, ExecutorFootprint.HeapInfo> afterLoad = new LinkedHashMap<>();
  private final Map<String, Long> pids = new LinkedHashMap<>();

  public ExecutorProbe(LocalSparkCluster cluster) {
    this.cluster = cluster;
    Path tool = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    this.jcmd = Files.isExecutable(tool) ? Optional.of(tool) : Optional.empty();
  }

  /** Why heaps are not measured, if they are not: jcmd comes with a JDK, not with a JRE. */
  public Optional<String> heapUnavailable() {
    return jcmd.isPresent()
        ? Optional.empty()
        : Optional.of(
            "no jcmd in "
                + Path.of(System.getProperty("java.home"), "bin")
                + " (a JRE): heaps not measured");
  }

  /** Measures each executor's heap now; call once the history is loaded (after the warm-up). */
  public synchronized void afterLoad() throws IOException, InterruptedException {
    for (LocalSparkCluster.ForkedJvm e : cluster.executors()) {
      pids.put(e.id(), e.process().pid());
      heap(e.process().pid()).ifPresent(h -> afterLoad.put(e.id(), h));
    }
  }

  /**
   * Every executor's footprint, from the executors running now and every executor log of the
   * cluster (an executor that died, for instance of an OutOfMemoryError, is there with what its log
   * says); call before the job stops.
   */
  public synchronized List<ExecutorFootprint> footprints()
      throws IOException, InterruptedException {
    Map<String, Path> logs = cluster.executorLogs();
    Map<String, Long> running = new LinkedHashMap<>();
    cluster.executors().forEach(e -> running.put(e.id(), e.process().pid()));
    Set<String> ids = new LinkedHashSet<>(logs.keySet());
    ids.addAll(running.keySet());
    List<ExecutorFootprint> footprints = new ArrayList<>();
    for (String id : ids.stream().sorted(ExecutorProbe::byNumber).toList()) {
      List<ExecutorFootprint.SnapshotLoad> loads = List.of();
      if (logs.containsKey(id)) {
        try (Stream<String> lines = Files.lines(logs.get(id), StandardCharsets.ISO_8859_1)) {
          loads = ExecutorFootprint.SnapshotLoad.inLog(lines);
        }
      }
      Long pid = running.get(id);
      Optional<ExecutorFootprint.HeapInfo> atEnd = pid == null ? Optional.empty() : heap(pid);
      OptionalLong rss = pid == null ? OptionalLong.empty() : peakRss(pid);
      footprints.add(
          new ExecutorFootprint(
              id,
              pid != null ? pid : pids.getOrDefault(id, -1L),
              loads,
              Optional.ofNullable(afterLoad.get(id)),
              atEnd,
              rss));
    }
    return footprints;
  }

  private static int byNumber(String a, String b) {
    try {
      return Long.compare(Long.parseLong(a), Long.parseLong(b));
    } catch (NumberFormatException e) {
      return a.compareTo(b);
    }
  }

  /** The heap after a full collection; empty without jcmd or when the JVM went away meanwhile. */
  private Optional<ExecutorFootprint.HeapInfo> heap(long pid)
      throws IOException, InterruptedException {
    if (jcmd.isEmpty() || run(pid, "GC.run").isEmpty()) {
      return Optional.empty();
    }
    return run(pid, "GC.heap_info").flatMap(ExecutorFootprint.HeapInfo::parse);
  }

  private Optional<String> run(long pid, String command) throws IOException, InterruptedException {
    Path output = cluster.dir().resolve("jcmd-" + pid + ".out");
    Process p =
        new ProcessBuilder(jcmd.orElseThrow().toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!p.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return Optional.empty();
    }
    return p.exitValue() == 0 ? Optional.of(Files.readString(output)) : Optional.empty();
  }

  private static OptionalLong peakRss(long pid) {
    try {
      return PeakRss.parseHwm(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }
}

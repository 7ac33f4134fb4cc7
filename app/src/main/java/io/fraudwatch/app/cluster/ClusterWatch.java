package io.fraudwatch.app.cluster;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Follows the JVMs a local cluster forks while a job runs, sampled by the caller: how many
 * executors ran at once, how many driver JVMs there were (a supervised driver restarted is a new
 * JVM), and how many executors were lost while their application went on (not those that ended with
 * a driver). It also SIGKILLs a driver or an executor.
 */
public final class ClusterWatch {
  private final LocalSparkCluster cluster;
  private final Set<Long> driverPids = new HashSet<>();
  private final Map<Long, LocalSparkCluster.ForkedJvm> executors = new HashMap<>();
  private final Set<String> applicationsEndedByDriverKill = new HashSet<>();
  private int peakExecutors;
  private int executorLosses;

  public ClusterWatch(LocalSparkCluster cluster) {
    this.cluster = cluster;
  }

  /** Takes one look at the cluster's JVMs and the Master's applications. */
  public synchronized void sample() throws IOException, InterruptedException {
    List<LocalSparkCluster.ForkedJvm> now = cluster.forked();
    Set<Long> alive = new HashSet<>();
    int executorsNow = 0;
    for (LocalSparkCluster.ForkedJvm jvm : now) {
      if (jvm.kind().equals("driver")) {
        driverPids.add(jvm.process().pid());
      } else {
        executorsNow++;
        alive.add(jvm.process().pid());
        executors.putIfAbsent(jvm.process().pid(), jvm);
      }
    }
    peakExecutors = Math.max(peakExecutors, executorsNow);
    List<String> active = null;
    for (var gone :
        executors.entrySet().stream().filter(e -> !alive.contains(e.getKey())).toList()) {
      executors.remove(gone.getKey());
      if (active == null) {
        active = cluster.activeApplications();
      }
      String app = gone.getValue().appId();
      if (active.contains(app) && !applicationsEndedByDriverKill.contains(app)) {
        executorLosses++;
      }
    }
  }

  /**
   * SIGKILLs the driver JVM; its application's executors end with it and are not counted as losses.
   */
  public synchronized Optional<Long> killDriver() throws IOException, InterruptedException {
    sample();
    Optional<LocalSparkCluster.ForkedJvm> driver = cluster.drivers().stream().findFirst();
    driver.ifPresent(
        d -> {
          executors.values().forEach(e -> applicationsEndedByDriverKill.add(e.appId()));
          d.process().destroyForcibly();
        });
    return driver.map(d -> d.process().pid());
  }

  /** SIGKILLs one executor JVM of an application the Master runs; empty when none runs. */
  public synchronized Optional<LocalSparkCluster.ForkedJvm> killExecutor()
      throws IOException, InterruptedException {
    sample();
    List<String> active = cluster.activeApplications();
    Optional<LocalSparkCluster.ForkedJvm> executor =
        cluster.executors().stream().filter(e -> active.contains(e.appId())).findFirst();
    executor.ifPresent(e -> e.process().destroyForcibly());
    return executor;
  }

  /** Executors of one application running now. */
  public synchronized long executorsOf(String appId) {
    return executors.values().stream()
        .filter(e -> e.appId().equals(appId) && e.process().isAlive())
        .count();
  }

  public synchronized int peakExecutors() {
    return peakExecutors;
  }

  /** Driver JVMs seen after the first. */
  public synchronized int driverRestarts() {
    return Math.max(0, driverPids.size() - 1);
  }

  public synchronized int executorLosses() {
    return executorLosses;
  }
}

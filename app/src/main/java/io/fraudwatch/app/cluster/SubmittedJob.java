package io.fraudwatch.app.cluster;

import io.fraudwatch.app.pipeline.JobStream;
import io.fraudwatch.app.submit.SparkSubmitter;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The scoring job as a driver that a local standalone cluster runs (cluster deploy mode), followed
 * from outside: its progress from what it stored in PostgreSQL, its JVMs from the cluster. It can
 * inject the faults the cluster must ride out: a SIGKILL of the driver JVM once 30 % of the
 * transactions are taken (a supervised driver is restarted by the Master and resumes from the
 * stored offsets), and of an executor JVM once 60 % are taken and, after a driver kill, the
 * restarted driver runs (its tasks are retried, the Master starts another executor).
 */
public final class SubmittedJob implements JobStream.RunningJob {
  private static final Set<String> ENDED = Set.of("FINISHED", "FAILED", "KILLED", "ERROR");
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  /** Which faults to inject, against how many transactions in all. */
  public record Faults(boolean killDriver, boolean killExecutor, long transactions) {}

  private final LocalSparkCluster cluster;
  private final ClusterWatch watch;
  private final SparkSubmitter submitter;
  private final ClusterDatabase db;
  private final String transactionsTopic;
  private final String driverId;
  private final Faults faults;
  private final PrintWriter err;
  private long taken;
  private long alerts;
  private long batches;
  private boolean driverKilled;
  private boolean executorKilled;
  private boolean stopped;

  public SubmittedJob(
      LocalSparkCluster cluster,
      ClusterWatch watch,
      SparkSubmitter submitter,
      ClusterDatabase db,
      String transactionsTopic,
      String driverId,
      Faults faults,
      PrintWriter err) {
    this.cluster = cluster;
    this.watch = watch;
    this.submitter = submitter;
    this.db = db;
    this.transactionsTopic = transactionsTopic;
    this.driverId = driverId;
    this.faults = faults;
    this.err = err;
  }

  @Override
  public long taken() {
    return taken;
  }

  @Override
  public long deadLetters() {
    return 0; // the demo sends no poison; the job counts its dead letters in batch_metrics
  }

  @Override
  public long alerts() {
    return alerts;
  }

  @Override
  public long batches() {
    return batches;
  }

  @Override
  public String status() {
    return String.format(
        Locale.ROOT,
        "  executors %d  driver restarts %d  executor losses %d",
        watch.peakExecutors(),
        watch.driverRestarts(),
        watch.executorLosses());
  }

  @Override
  public boolean poll(long waitMillis) throws Exception {
    Thread.sleep(waitMillis);
    watch.sample();
    taken = db.committed(transactionsTopic);
    alerts = db.rowsAndDistinctIds("alerts")[1];
    batches = db.batches();
    injectFaults();
    String state = cluster.driverStates().getOrDefault(driverId, "UNKNOWN");
    if (ENDED.contains(state) && !stopped) {
      throw new CommandFailure(
          Cli.FAILURE,
          "the driver "
              + driverId
              + " ended ("
              + state
              + ") after taking "
              + taken
              + " transactions; its log: "
              + cluster.driverLog(driverId).map(Path::toString).orElse("(none)"));
    }
    return ENDED.contains(state);
  }

  private void injectFaults() throws IOException, InterruptedException {
    if (faults.killDriver() && !driverKilled && taken >= faults.transactions() * 0.3) {
      watch.killDriver().ifPresent(pid -> note("SIGKILLed the driver JVM (pid " + pid + ")"));
      driverKilled = true;
    }
    boolean driverBack =
        !faults.killDriver()
            || (driverKilled
                && watch.driverRestarts() >= 1
                && !cluster.activeApplications().isEmpty());
    if (faults.killExecutor()
        && !executorKilled
        && driverBack
        && taken >= faults.transactions() * 0.6) {
      var executor = watch.killExecutor();
      executor.ifPresent(
          e ->
              note(
                  "SIGKILLed executor "
                      + e.id()
                      + " of "
                      + e.appId()
                      + " (pid "
                      + e.process().pid()
                      + ")"));
      executorKilled = executor.isPresent();
    }
  }

  private void note(String what) {
    err.printf(
        Locale.ROOT, "%n%s at %,d of %,d transactions taken%n", what, taken, faults.transactions());
    err.flush();
  }

  /**
   * Kills the driver through the Master (so that it is not restarted); waits until it has ended.
   */
  @Override
  public void stop(boolean graceful) throws Exception {
    if (stopped) {
      return;
    }
    stopped = true;
    Process kill =
        submitter
            .process(submitter.killDriverCommand(cluster.masterUrl(), driverId))
            .redirectErrorStream(true)
            .redirectOutput(cluster.dir().resolve("kill-driver.log").toFile())
            .start();
    kill.waitFor();
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    while (!ENDED.contains(cluster.driverStates().getOrDefault(driverId, "UNKNOWN"))
        && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
  }

  @Override
  public void close() {
    try {
      stop(false);
    } catch (Exception e) {
      err.println("warning: stopping the driver " + driverId + " failed: " + e);
    }
  }

  public boolean driverKilled() {
    return driverKilled;
  }

  public boolean executorKilled() {
    return executorKilled;
  }
}

package io.fraudwatch.app.chaos;

import io.fraudwatch.app.ReportOption;
import io.fraudwatch.app.StopSignal;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.Keyed;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bin/fraudwatch chaos}: the fault matrix against real processes, with a JSON report. */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Run faults against real processes; check that nothing is lost or duplicated.",
      "The Kafka broker runs in a JVM of its own, PostgreSQL (embedded) as a process of",
      "its own, the scorer (`score`) in a JVM of its own; a frozen champion makes the",
      "expected alerts known. After each fault the stream is drained and checked:",
      "scored rows = distinct = expected, alerts in PostgreSQL and distinct alerts on",
      "the topic = expected, stored offsets at the topics' ends with every offset",
      "stored or dead-lettered once, dead letters = the poison sent (each with its",
      "reason), labels stored once and none learned twice.",
      "Faults, in this order (docs/faults.md): scorer-kill, task-failure, broker-kill,",
      "postgres-stop, postgres-terminate, poison, repeated-ids, alerts-lock, overload,",
      "restart-reconfigured. All of them take about 10 minutes on 2 cores."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every fault passed",
      "1:a fault failed (the report says which and why)",
      "2:usage error"
    })
public final class ChaosCommand implements Callable<Integer> {

  /** The report: one entry per fault. */
  public record Report(
      long seed,
      boolean passed,
      double seconds,
      String workDir,
      List<ChaosRun.FaultResult> faults) {}

  @Spec CommandSpec spec;

  @Mixin ReportOption report;

  @Option(
      names = "--faults",
      paramLabel = "a,b,c",
      split = ",",
      description = "run only these faults, in the matrix's order (default: all)")
  List<String> faults;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "seed of the random points (kill times, outage lengths, repeated ids); default ${DEFAULT-VALUE}")
  long seed;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      defaultValue = "work/chaos",
      description =
          "each run gets a new directory here for the services' data and the processes' logs;"
              + " default ${DEFAULT-VALUE}")
  Path workDir;

  private final StopSignal stopSignal;

  public ChaosCommand(StopSignal stopSignal) {
    this.stopSignal = stopSignal;
  }

  @Override
  public Integer call() throws Exception {
    List<ChaosFault> selected = selected();
    report.requireWritable();
    PrintWriter out = spec.commandLine().getOut();
    Path dir =
        workDir
            .toAbsolutePath()
            .normalize()
            .resolve(
                "run-"
                    + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now()));
    Files.createDirectories(dir);
    out.printf(
        "Chaos run: %d faults (%s), seed %d, data and logs in %s%n",
        selected.size(),
        selected.stream().map(ChaosFault::key).collect(Collectors.joining(", ")),
        seed,
        dir);
    out.flush();
    long t0 = System.nanoTime();
    List<ChaosRun.FaultResult> results = new ArrayList<>();
    try (ChaosRun run = ChaosRun.start(dir, seed, out)) {
      // Ctrl-C: the broker, the scorer and PostgreSQL go too
      stopSignal.whenStopped(
          "fraudwatch-chaos-stop",
          () -> {
            try {
              run.close();
            } catch (Exception e) {
              spec.commandLine()
                  .getErr()
                  .println("warning: stopping the chaos run's processes: " + e);
            } finally {
              stopSignal.stopped();
            }
          });
      for (ChaosFault fault : selected) {
        results.add(run.run(fault));
      }
    } finally {
      stopSignal.stopped();
    }
    boolean passed = results.stream().allMatch(ChaosRun.FaultResult::passed);
    Report r =
        new Report(
            seed,
            passed,
            Math.round((System.nanoTime() - t0) / 1e8) / 10.0,
            dir.toString(),
            results);
    out.println();
    out.printf("%-22s %-7s %6s %10s %9s%n", "fault", "result", "lost", "duplicated", "recovery");
    for (ChaosRun.FaultResult f : results) {
      out.printf(
          "%-22s %-7s %6d %10d %8.1fs%n",
          f.name(),
          f.passed() ? "passed" : "FAILED",
          f.lost(),
          f.duplicated(),
          f.recoverySeconds());
    }
    out.printf("%s in %.0f s%n", passed ? "Every fault passed" : "Some faults FAILED", r.seconds());
    report.write(r, out);
    return passed ? Cli.OK : Cli.FAILURE;
  }

  private List<ChaosFault> selected() {
    if (faults == null) {
      return List.of(ChaosFault.values());
    }
    Set<ChaosFault> chosen = new LinkedHashSet<>();
    for (String id : faults) {
      chosen.add(
          Keyed.find(ChaosFault.class, id.trim())
              .orElseThrow(
                  () ->
                      new CommandFailure(
                          Cli.USAGE,
                          "--faults: unknown fault '"
                              + id
                              + "'; the faults are "
                              + Keyed.keys(ChaosFault.class))));
    }
    return Arrays.stream(ChaosFault.values()).filter(chosen::contains).toList();
  }
}

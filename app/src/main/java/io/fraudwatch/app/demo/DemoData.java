package io.fraudwatch.app.demo;

import io.fraudwatch.app.replay.ReplayTransaction;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.simulator.SimulatedTransaction;
import io.fraudwatch.simulator.Simulation;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A simulation split in two at the start of a day: the bootstrap days, which the first model learns
 * from and which become the job's feature history, and the streaming days, replayed through Kafka
 * and scored. The streaming days' truth (which transactions are fraud) stays here, for the summary.
 */
public record DemoData(
    List<HandbookRow> bootstrap,
    List<ReplayTransaction> streaming,
    Set<String> streamingFraudIds,
    LocalDate firstStreamingDay) {

  public DemoData {
    bootstrap = List.copyOf(bootstrap);
    streaming = List.copyOf(streaming);
    streamingFraudIds = Set.copyOf(streamingFraudIds);
  }

  /** Splits the simulation's transactions at midnight (UTC) before {@code firstStreamingDay}. */
  public static DemoData split(Simulation simulation, LocalDate firstStreamingDay) {
    Instant split = firstStreamingDay.atStartOfDay(ZoneOffset.UTC).toInstant();
    List<HandbookRow> bootstrap = new ArrayList<>();
    List<ReplayTransaction> streaming = new ArrayList<>();
    Set<String> frauds = new HashSet<>();
    for (SimulatedTransaction t : simulation) {
      if (t.eventTime().isBefore(split)) {
        bootstrap.add(handbookRow(t));
      } else {
        ReplayTransaction r = ReplayTransaction.of(t);
        streaming.add(r);
        if (r.fraud()) {
          frauds.add(r.transactionId());
        }
      }
    }
    return new DemoData(bootstrap, streaming, frauds, firstStreamingDay);
  }

  /**
   * The simulator's transaction as the trainer reads it (ids as decimal strings, as the CSV and the
   * replay write them).
   */
  static HandbookRow handbookRow(SimulatedTransaction t) {
    return new HandbookRow(
        t.transactionId(),
        t.eventTime(),
        Integer.toString(t.customerId()),
        Integer.toString(t.terminalId()),
        t.amount(),
        t.fraud(),
        t.scenario());
  }

  public Instant streamingStart() {
    return firstStreamingDay.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}

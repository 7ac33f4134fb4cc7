package io.fraudwatch.scoring.job;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A batch of transactions added up from its partition tasks' outcomes: the counts of its metrics
 * row (dead letters also by reason code, duplicates, the retries and waiting an outage cost), how
 * far the stream came in event time (null when nothing was scored) and the event days it scored.
 */
record BatchTotals(
    long records,
    long deadLetters,
    long alerts,
    long duplicates,
    long outageRetries,
    long outageWaitMs,
    Map<String, Long> deadLettersByReason,
    Instant latestEventTime,
    Set<LocalDate> eventDays) {

  static BatchTotals of(Collection<TransactionPartitionTask.Outcome> outcomes) {
    long records = 0;
    long deadLetters = 0;
    long alerts = 0;
    long duplicates = 0;
    long retries = 0;
    long waitedMs = 0;
    Instant latest = null;
    Set<LocalDate> days = new TreeSet<>();
    Map<String, Long> byReason = new TreeMap<>();
    for (TransactionPartitionTask.Outcome o : outcomes) {
      o.metrics()
          .deadLettersByReason()
          .forEach((reason, n) -> byReason.merge(reason, n, Long::sum));
      records += o.records();
      deadLetters += o.deadLetters();
      alerts += o.alerts();
      duplicates += o.duplicates();
      retries += o.outageRetries();
      waitedMs += o.outageWaitMs();
      if (o.latestEventTime() != null && (latest == null || o.latestEventTime().isAfter(latest))) {
        latest = o.latestEventTime();
      }
      days.addAll(o.eventDays());
    }
    return new BatchTotals(
        records,
        deadLetters,
        alerts,
        duplicates,
        retries,
        waitedMs,
        Collections.unmodifiableMap(byReason),
        latest,
        Collections.unmodifiableSet(days));
  }
}

package io.fraudwatch.models.online;

import io.fraudwatch.features.LabelPrecedence;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pairs labels with the rows logged when their transactions were scored, by transaction id. A label
 * whose transaction has not been scored (yet) is not dropped: it waits here and is tried again with
 * the next labels, because the transactions stream may lag behind the labels stream (e.g. after a
 * restart).
 *
 * <p>Memory is bounded by {@code maxWaiting}: a label whose transaction is never scored (it went to
 * the dead-letter topic, say) would otherwise wait forever. When more labels wait, those known
 * earliest are given up and returned in {@link Result#givenUp()}, so the job can log and count
 * them.
 *
 * <p>Per batch: {@link #idsToLookUp(Collection)} names the transactions to read from {@code
 * scored_transactions}; {@link #join(Collection, Collection)} is given what was found.
 */
public final class LabelJoin implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private final int maxWaiting;
  private final Map<String, KnownLabel> waiting = new LinkedHashMap<>();

  /**
   * Examples made this batch, labels still waiting (all of them, in known-at order), labels given
   * up.
   */
  public record Result(
      List<LabelledExample> joined, List<KnownLabel> waiting, List<KnownLabel> givenUp) {}

  public LabelJoin(int maxWaiting) {
    if (maxWaiting < 0) {
      throw new IllegalArgumentException("max waiting labels must be >= 0, got " + maxWaiting);
    }
    this.maxWaiting = maxWaiting;
  }

  /**
   * The transactions whose logged rows {@link #join} needs: those of the new labels and of the
   * waiting ones.
   */
  public Set<String> idsToLookUp(Collection<KnownLabel> newLabels) {
    Set<String> ids = new TreeSet<>(waiting.keySet());
    newLabels.forEach(l -> ids.add(l.transactionId()));
    return ids;
  }

  /**
   * Joins the new and the waiting labels with the logged rows found for them. When a transaction
   * has two labels, the one that stands is the one the labels table keeps ({@link
   * LabelPrecedence}).
   */
  public Result join(Collection<KnownLabel> newLabels, Collection<LoggedScore> rows) {
    Map<String, LoggedScore> byId = new HashMap<>();
    rows.forEach(r -> byId.putIfAbsent(r.transactionId(), r));
    Map<String, KnownLabel> candidates = new LinkedHashMap<>(waiting);
    for (KnownLabel label : newLabels) {
      candidates.merge(
          label.transactionId(),
          label,
          (current, candidate) ->
              LabelPrecedence.supersedes(
                      candidate.fraud(),
                      current.fraud(),
                      candidate.knownAt().compareTo(current.knownAt()))
                  ? candidate
                  : current);
    }
    waiting.clear();
    List<LabelledExample> joined = new ArrayList<>();
    List<KnownLabel> unscored = new ArrayList<>();
    for (KnownLabel label : candidates.values()) {
      LoggedScore row = byId.get(label.transactionId());
      if (row != null) {
        joined.add(row.with(label));
      } else {
        unscored.add(label);
      }
    }
    unscored.sort(
        Comparator.comparing(KnownLabel::knownAt).thenComparing(KnownLabel::transactionId));
    int excess = Math.max(0, unscored.size() - maxWaiting);
    List<KnownLabel> givenUp = List.copyOf(unscored.subList(0, excess));
    List<KnownLabel> stillWaiting = List.copyOf(unscored.subList(excess, unscored.size()));
    stillWaiting.forEach(l -> waiting.put(l.transactionId(), l));
    return new Result(List.copyOf(joined), stillWaiting, givenUp);
  }

  /** How many labels wait for their transaction to be scored. */
  public int waitingCount() {
    return waiting.size();
  }
}

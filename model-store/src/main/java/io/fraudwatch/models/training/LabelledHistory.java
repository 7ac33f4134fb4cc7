package io.fraudwatch.models.training;

import io.fraudwatch.features.handbook.HandbookRow;
import java.util.List;
import java.util.Set;

/**
 * Transactions to compute features over (the window and the history before it), which of them have
 * no known label yet (they count as genuine in terminal risk, as online, but are neither trained
 * nor validated on), and a line saying where they came from.
 */
public record LabelledHistory(List<HandbookRow> rows, Set<Long> unlabelledIds, String description) {

  public LabelledHistory {
    rows = List.copyOf(rows);
    unlabelledIds = Set.copyOf(unlabelledIds);
  }
}

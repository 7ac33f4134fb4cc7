package io.fraudwatch.features;

import io.fraudwatch.features.handbook.HandbookRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The handbook features of a whole data set at once, for training sets and as the oracle the online
 * {@link HistoryState} is tested against. Deliberately a different algorithm: rows are grouped by
 * customer and by terminal, and each window slides over the group with two pointers (compensated
 * running sums for amounts, prefix counts for frauds). A row's label is taken as known one label
 * delay after the row, the handbook protocol.
 */
public final class OfflineFeatures {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long SECONDS_PER_DAY = 86_400;
  private static final long NANOS_PER_DAY = SECONDS_PER_DAY * NANOS_PER_SECOND;

  /** 1970-01-01 was a Thursday: day 0 is weekday 3 counting Monday as 0. */
  private static final int EPOCH_WEEKDAY = 3;

  /** One transaction's features in {@link HandbookFeatures#SCHEMA} order, with its label. */
  public record FeatureRow(
      long transactionId, Instant eventTime, String customerId, double[] features, boolean fraud) {}

  private OfflineFeatures() {}

  /**
   * Features of every row, computed from the rows alone (history before the earliest row is empty),
   * returned in replay order (event time, then transaction id).
   *
   * @throws IllegalArgumentException when a transaction id occurs twice
   */
  public static List<FeatureRow> compute(List<HandbookRow> rows, HandbookFeatures.Config config) {
    Objects.requireNonNull(config, "config");
    HandbookRow[] sorted = rows.toArray(HandbookRow[]::new);
    Arrays.sort(sorted, HandbookRow.REPLAY_ORDER);
    requireUniqueIds(sorted);
    int n = sorted.length;
    long[] time = new long[n];
    double[][] features = new double[n][HandbookFeatures.SIZE];
    for (int i = 0; i < n; i++) {
      Instant t = sorted[i].eventTime();
      time[i] =
          Math.addExact(Math.multiplyExact(t.getEpochSecond(), NANOS_PER_SECOND), t.getNano());
      long day = Math.floorDiv(t.getEpochSecond(), SECONDS_PER_DAY);
      long secondOfDay = Math.floorMod(t.getEpochSecond(), SECONDS_PER_DAY);
      features[i][0] = sorted[i].amount();
      features[i][1] = Math.floorMod(day + EPOCH_WEEKDAY, 7) >= 5 ? 1 : 0;
      features[i][2] = secondOfDay < 7 * 3600 ? 1 : 0;
    }
    for (int[] group : groups(sorted, true)) {
      customerWindows(group, sorted, time, features);
      burstCounts(group, sorted, time, features);
      largestEarlierAmounts(group, sorted, time, features);
    }
    long delay = config.labelDelay().toNanos();
    for (int[] group : groups(sorted, false)) {
      terminalWindows(group, sorted, time, delay, features);
    }
    List<FeatureRow> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      HandbookFeatures.derive(features[i]);
      HandbookRow row = sorted[i];
      out.add(
          new FeatureRow(
              row.transactionId(), row.eventTime(), row.customerId(), features[i], row.fraud()));
    }
    return out;
  }

  /**
   * For each window: the rows of the group in (t - w, t] up to the current one, itself included.
   */
  private static void customerWindows(
      int[] group, HandbookRow[] rows, long[] time, double[][] features) {
    for (int k = 0; k < HandbookFeatures.WINDOW_DAYS.size(); k++) {
      long width = HandbookFeatures.WINDOW_DAYS.get(k) * NANOS_PER_DAY;
      int column = HandbookFeatures.CUSTOMER_OFFSET + 2 * k;
      CompensatedSum sum = new CompensatedSum();
      int start = 0;
      for (int pos = 0; pos < group.length; pos++) {
        int row = group[pos];
        sum.add(rows[row].amount());
        while (time[group[start]] <= time[row] - width) {
          sum.add(-rows[group[start]].amount());
          start++;
        }
        int count = pos - start + 1;
        features[row][column] = count;
        features[row][column + 1] = sum.value() / count;
      }
    }
  }

  /**
   * The rows of the group in (t - burst window, t] up to the current one, itself included, and the
   * small ones among them ({@link HandbookFeatures#derive} keeps those at night only).
   */
  private static void burstCounts(
      int[] group, HandbookRow[] rows, long[] time, double[][] features) {
    long width = HandbookFeatures.CUSTOMER_BURST_WINDOW.toNanos();
    int start = 0;
    int small = 0;
    for (int pos = 0; pos < group.length; pos++) {
      int row = group[pos];
      small += rows[row].amount() < HandbookFeatures.SMALL_AMOUNT ? 1 : 0;
      while (time[group[start]] <= time[row] - width) {
        small -= rows[group[start]].amount() < HandbookFeatures.SMALL_AMOUNT ? 1 : 0;
        start++;
      }
      features[row][HandbookFeatures.CUSTOMER_COUNT_BURST] = pos - start + 1;
      features[row][HandbookFeatures.NIGHT_SMALL_COUNT_BURST] = small;
    }
  }

  /**
   * The largest amount of the group's rows before the current one in (t - 30 days, t]: a
   * sliding-window maximum over a deque of candidates, amounts decreasing from its head.
   */
  private static void largestEarlierAmounts(
      int[] group, HandbookRow[] rows, long[] time, double[][] features) {
    long width = HandbookFeatures.CUSTOMER_HORIZON.toNanos();
    int[] candidates = new int[group.length];
    int head = 0;
    int tail = 0;
    for (int row : group) {
      while (head < tail && time[candidates[head]] <= time[row] - width) {
        head++;
      }
      features[row][HandbookFeatures.CUSTOMER_MAX_EARLIER_30DAY] =
          head < tail ? rows[candidates[head]].amount() : 0.0;
      while (head < tail && rows[candidates[tail - 1]].amount() <= rows[row].amount()) {
        tail--;
      }
      candidates[tail++] = row;
    }
  }

  /**
   * For each window: the rows of the group in (t - d - w, t - d] and the frauds among them; then
   * the frauds among the latest rows of the longest window.
   */
  private static void terminalWindows(
      int[] group, HandbookRow[] rows, long[] time, long delay, double[][] features) {
    int[] fraudsBefore = new int[group.length + 1];
    for (int pos = 0; pos < group.length; pos++) {
      fraudsBefore[pos + 1] = fraudsBefore[pos] + (rows[group[pos]].fraud() ? 1 : 0);
    }
    for (int k = 0; k < HandbookFeatures.WINDOW_DAYS.size(); k++) {
      long width = HandbookFeatures.WINDOW_DAYS.get(k) * NANOS_PER_DAY;
      int column = HandbookFeatures.TERMINAL_OFFSET + 2 * k;
      int lo = 0;
      int hi = 0;
      for (int pos = 0; pos < group.length; pos++) {
        int row = group[pos];
        long windowEnd = time[row] - delay;
        while (hi < group.length && time[group[hi]] <= windowEnd) {
          hi++;
        }
        while (lo < group.length && time[group[lo]] <= windowEnd - width) {
          lo++;
        }
        int count = hi - lo;
        features[row][column] = count;
        features[row][column + 1] =
            count == 0 ? 0.0 : (double) (fraudsBefore[hi] - fraudsBefore[lo]) / count;
        if (k == HandbookFeatures.WINDOW_DAYS.size() - 1) {
          int latest = Math.max(lo, hi - HandbookFeatures.TERMINAL_LATEST);
          features[row][HandbookFeatures.TERMINAL_FRAUD_LATEST] =
              fraudsBefore[hi] - fraudsBefore[latest];
        }
      }
    }
  }

  /** Row indices grouped by customer (or terminal), each group in replay order. */
  private static List<int[]> groups(HandbookRow[] sorted, boolean byCustomer) {
    Map<String, List<Integer>> byKey = new LinkedHashMap<>();
    for (int i = 0; i < sorted.length; i++) {
      String key = byCustomer ? sorted[i].customerId() : sorted[i].terminalId();
      byKey.computeIfAbsent(key, ignored -> new ArrayList<>()).add(i);
    }
    return byKey.values().stream()
        .map(list -> list.stream().mapToInt(Integer::intValue).toArray())
        .toList();
  }

  private static void requireUniqueIds(HandbookRow[] rows) {
    long[] ids = Arrays.stream(rows).mapToLong(HandbookRow::transactionId).sorted().toArray();
    for (int i = 1; i < ids.length; i++) {
      if (ids[i] == ids[i - 1]) {
        throw new IllegalArgumentException("transaction id " + ids[i] + " occurs more than once");
      }
    }
  }

  /** Neumaier's compensated sum: adding and removing amounts over months stays exact to ~1 ulp. */
  private static final class CompensatedSum {
    private double sum;
    private double compensation;

    void add(double x) {
      double t = sum + x;
      compensation += Math.abs(sum) >= Math.abs(x) ? (sum - t) + x : (x - t) + sum;
      sum = t;
    }

    double value() {
      return sum + compensation;
    }
  }
}

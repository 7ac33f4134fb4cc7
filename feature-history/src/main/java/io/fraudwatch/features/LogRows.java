package io.fraudwatch.features;

import java.util.Arrays;

/**
 * Entries of one customer's or terminal's log appended in arrival order, in the {@link EventLog}
 * layout (fields 0 and 1 the event time and the key), and put into key order once, when all have
 * arrived: a snapshot's rows reach a terminal in no particular time order, and inserting each into
 * its sorted place would shift the later entries every time.
 */
final class LogRows {
  // most customers hold a handful of rows: grow 2, 4, 8, ... entries as the logs do
  private static final int INITIAL_CAPACITY = 2;

  /** Merges an entry into the one already kept under the same key. */
  interface Repeat {
    void merge(long[] data, int kept, long[] from, int repeated);
  }

  private final int stride;
  private long[] data;
  private int size;

  LogRows(int stride) {
    this.stride = stride;
    this.data = new long[INITIAL_CAPACITY * stride];
  }

  /** Appends an entry; fields past the ones given stay zero. */
  void append(long time, long id, long field2, long field3) {
    if ((size + 1) * stride > data.length) {
      data = Arrays.copyOf(data, 2 * data.length);
    }
    int at = size * stride;
    data[at + EventLog.TIME] = time;
    data[at + EventLog.ID] = id;
    data[at + 2] = field2;
    if (stride > 3) {
      data[at + 3] = field3;
    }
    size++;
  }

  /**
   * The entries in key order, each key once: of entries with the same key the first to arrive is
   * kept and the later ones are merged into it by {@code repeat}, in arrival order. The rows must
   * not be used afterwards (their array may be taken over).
   *
   * @return the sorted entries in {@code [0, size)} of {@link #data()}
   */
  int sortOnce(Repeat repeat) {
    if (!strictlyAscending()) {
      int[] order = stableOrder();
      long[] sorted = new long[Math.max(INITIAL_CAPACITY, size) * stride];
      int kept = 0;
      for (int k = 0; k < size; k++) {
        int from = order[k];
        if (kept > 0 && sameKey(sorted, kept - 1, data, from)) {
          repeat.merge(sorted, kept - 1, data, from);
        } else {
          System.arraycopy(data, from * stride, sorted, kept * stride, stride);
          kept++;
        }
      }
      data = sorted;
      size = kept;
    }
    return size;
  }

  long[] data() {
    return data;
  }

  private boolean strictlyAscending() {
    for (int i = 1; i < size; i++) {
      if (compare(data, i - 1, data, i) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** Indices of the entries in key order, equal keys in arrival order (a bottom-up merge sort). */
  private int[] stableOrder() {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    int[] buffer = new int[size];
    for (int width = 1; width < size; width *= 2) {
      for (int lo = 0; lo < size; lo += 2 * width) {
        int mid = Math.min(lo + width, size);
        int hi = Math.min(lo + 2 * width, size);
        int a = lo;
        int b = mid;
        for (int k = lo; k < hi; k++) {
          if (a < mid && (b >= hi || compare(data, order[a], data, order[b]) <= 0)) {
            buffer[k] = order[a++];
          } else {
            buffer[k] = order[b++];
          }
        }
      }
      int[] swap = order;
      order = buffer;
      buffer = swap;
    }
    return order;
  }

  private int compare(long[] a, int i, long[] b, int j) {
    int c = Long.compare(a[i * stride + EventLog.TIME], b[j * stride + EventLog.TIME]);
    return c != 0 ? c : Long.compare(a[i * stride + EventLog.ID], b[j * stride + EventLog.ID]);
  }

  private boolean sameKey(long[] a, int i, long[] b, int j) {
    return compare(a, i, b, j) == 0;
  }
}

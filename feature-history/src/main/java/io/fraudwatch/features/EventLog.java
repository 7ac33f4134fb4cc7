package io.fraudwatch.features;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;

/**
 * Entries kept sorted by (event time, transaction id), each a fixed number of {@code long} fields
 * in one flat array; fields 0 and 1 are the event time (epoch nanoseconds) and the transaction id.
 * Live entries are the indices {@code [head(), end())}. Appending in key order and dropping from
 * the front are amortised O(1), lookups O(log n); an insert out of key order shifts the later
 * entries.
 */
final class EventLog implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  static final int TIME = 0;
  static final int ID = 1;
  // most customers hold a handful of events: a log grows 2, 4, 8, ... entries, so one of four
  // entries has no unused slots (an initial 8 would leave half of such an array empty)
  private static final int INITIAL_CAPACITY = 2;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  // keeps window arithmetic (time minus up to a few years) clear of long overflow
  private static final Instant EARLIEST = Instant.parse("1700-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("2262-01-01T00:00:00Z");

  private final int stride;
  private transient long[] data;
  private transient int head;
  private transient int end;

  EventLog(int fields) {
    if (fields < 2) {
      throw new IllegalArgumentException(
          "an entry needs at least time and id, got " + fields + " fields");
    }
    this.stride = fields;
    this.data = new long[INITIAL_CAPACITY * fields];
  }

  /**
   * A log of the {@code size} entries at the start of {@code data}, which must be in key order with
   * no key twice; the array is taken over, not copied.
   */
  EventLog(int fields, long[] data, int size) {
    this(fields);
    if (data.length % fields != 0 || size * fields > data.length) {
      throw new IllegalArgumentException(
          size + " entries of " + fields + " fields do not fit " + data.length + " longs");
    }
    this.data = data.length == 0 ? this.data : data;
    this.end = size;
  }

  /** Epoch nanoseconds of an event time, the key the logs sort by. */
  static long nanos(Instant time) {
    if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
      throw new IllegalArgumentException(
          "event time " + time + " is outside the supported range " + EARLIEST + ".." + LATEST);
    }
    return time.getEpochSecond() * NANOS_PER_SECOND + time.getNano();
  }

  int head() {
    return head;
  }

  int end() {
    return end;
  }

  int size() {
    return end - head;
  }

  boolean isEmpty() {
    return head == end;
  }

  long time(int i) {
    return data[i * stride + TIME];
  }

  long id(int i) {
    return data[i * stride + ID];
  }

  long get(int i, int field) {
    return data[i * stride + field];
  }

  void set(int i, int field, long value) {
    data[i * stride + field] = value;
  }

  double getDouble(int i, int field) {
    return Double.longBitsToDouble(get(i, field));
  }

  void setDouble(int i, int field, double value) {
    set(i, field, Double.doubleToRawLongBits(value));
  }

  /** Index of the entry with this key, or {@code -(insertion point) - 1} when there is none. */
  int find(long time, long id) {
    int lo = head;
    int hi = end - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = compareKey(mid, time, id);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }

  /** First index whose time is after {@code time} ({@code end()} when none is). */
  int firstAfter(long time) {
    return firstAfter(time, Long.MAX_VALUE);
  }

  /** First index whose key is after (time, id) ({@code end()} when none is). */
  int firstAfter(long time, long id) {
    int lo = head;
    int hi = end;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compareKey(mid, time, id) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Inserts a new entry (other fields zero) at the insertion point that {@link #find} reported and
   * returns its index, which differs from {@code at} when the log had to move its entries.
   */
  int insertAt(int at, long time, long id) {
    if (end * stride == data.length) {
      int moved = head;
      relocate(Math.max(INITIAL_CAPACITY, 2 * size()));
      at -= moved;
    }
    System.arraycopy(data, at * stride, data, (at + 1) * stride, (end - at) * stride);
    end++;
    Arrays.fill(data, at * stride, (at + 1) * stride, 0L);
    set(at, TIME, time);
    set(at, ID, id);
    return at;
  }

  void removeAt(int i) {
    System.arraycopy(data, (i + 1) * stride, data, i * stride, (end - i - 1) * stride);
    end--;
  }

  /**
   * Drops the entries with time at or before {@code cutoff}.
   *
   * @return true when the remaining entries moved to the front of a fresh or compacted array, so
   *     that values accumulated from the old front may be rebased
   */
  boolean dropThrough(long cutoff) {
    head = firstAfter(cutoff);
    if (head == end) {
      head = 0;
      end = 0;
      if (data.length > INITIAL_CAPACITY * stride) {
        data = new long[INITIAL_CAPACITY * stride];
      }
      return true;
    }
    if (head >= size()) {
      relocate(Math.max(INITIAL_CAPACITY, 2 * size()));
      return true;
    }
    return false;
  }

  private void relocate(int capacity) {
    long[] target = capacity * stride == data.length ? data : new long[capacity * stride];
    System.arraycopy(data, head * stride, target, 0, size() * stride);
    end = size();
    head = 0;
    data = target;
  }

  private int compareKey(int i, long time, long id) {
    int c = Long.compare(time(i), time);
    return c != 0 ? c : Long.compare(id(i), id);
  }

  @Serial
  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    out.writeInt(size());
    for (int k = head * stride; k < end * stride; k++) {
      out.writeLong(data[k]);
    }
  }

  @Serial
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    int size = in.readInt();
    if (size < 0 || stride < 2) {
      throw new IOException("corrupt event log: size " + size + ", stride " + stride);
    }
    data = new long[Math.max(INITIAL_CAPACITY, size) * stride];
    for (int k = 0; k < size * stride; k++) {
      data[k] = in.readLong();
    }
    head = 0;
    end = size;
  }
}

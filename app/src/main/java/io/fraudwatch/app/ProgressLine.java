package io.fraudwatch.app;

import java.io.PrintWriter;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The progress of long work (replays, streams, the bench's seeding and phases), at most once a
 * second: on a terminal one line rewritten in place, elsewhere (a CI log, {@code 2> file}) whole
 * lines, so that a log does not fill with a rewritten line many times a second.
 */
public final class ProgressLine {
  /**
   * Set to {@code true} by bin/fraudwatch when its standard error is a terminal ({@code [ -t 2 ]}),
   * which Java cannot tell by itself; unset, progress comes as whole lines.
   */
  static final String TERMINAL_PROPERTY = "fraudwatch.stderr-terminal";

  static final long EVERY_NANOS = 1_000_000_000L;

  private final PrintWriter out;
  private final boolean terminal;
  private final LongSupplier nanoClock;
  private long lastShownAt;
  private boolean shown;
  private boolean lineOpen;
  private int lastLength;

  ProgressLine(PrintWriter out, boolean terminal, LongSupplier nanoClock) {
    this.out = out;
    this.terminal = terminal;
    this.nanoClock = nanoClock;
  }

  /** Progress on {@code out}, rewritten in place when the launcher says it is a terminal. */
  public static ProgressLine on(PrintWriter out) {
    return new ProgressLine(out, Boolean.getBoolean(TERMINAL_PROPERTY), System::nanoTime);
  }

  /**
   * Shows {@code text} if a second has passed since the last one shown (the first is shown at
   * once); {@code text} is computed only then.
   */
  public synchronized void show(Supplier<String> text) {
    long now = nanoClock.getAsLong();
    if (shown && now - lastShownAt < EVERY_NANOS) {
      return;
    }
    shown = true;
    lastShownAt = now;
    String line = text.get();
    if (terminal) {
      // blanks over the end of a longer previous line
      out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
      lastLength = line.length();
      lineOpen = true;
    } else {
      out.println(line);
    }
    out.flush();
  }

  /**
   * Ends the line being rewritten, if any, so that what is printed next starts on a line of its
   * own; the next {@link #show} starts a new line.
   */
  public synchronized void end() {
    if (lineOpen) {
      out.println();
      out.flush();
      lineOpen = false;
      lastLength = 0;
    }
  }
}

package io.fraudwatch.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The process's peak resident set size, from {@code VmHWM} in {@code /proc/self/status} (Linux).
 * Between the systems under test the peak is reset by writing 5 to {@code /proc/self/clear_refs},
 * so each system's figure is its own; where that is refused the peak is the process's since it
 * started, and {@link #resettable} says so.
 */
final class PeakRss {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private PeakRss() {}

  /** Peak RSS in bytes, empty where /proc is not there. */
  static OptionalLong bytes() {
    try {
      return parseHwm(Files.readString(STATUS));
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * @return whether the peak was reset to the current RSS
   */
  static boolean reset() {
    try {
      Files.writeString(CLEAR_REFS, "5");
      return true;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /** The {@code VmHWM} line of a /proc status text, in bytes. */
  static OptionalLong parseHwm(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmHWM:")) {
        String[] parts = line.substring("VmHWM:".length()).trim().split("\\s+");
        if (parts.length == 2 && parts[1].equals("kB")) {
          return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
        }
      }
    }
    return OptionalLong.empty();
  }
}

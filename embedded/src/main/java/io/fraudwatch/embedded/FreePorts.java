package io.fraudwatch.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Free loopback ports for embedded services (0 in config means "pick one"). */
public final class FreePorts {
  private FreePorts() {}

  public static int pick() {
    return pick(1, Set.of())[0];
  }

  public static int orPick(int port) {
    return port == 0 ? pick() : port;
  }

  /**
   * {@code count} free loopback ports, all different and none of {@code taken}: every probe socket
   * stays open until all are picked, so the system cannot hand the same port out twice (two
   * listeners of one broker on one port). Another process may still bind one before its service
   * does; a caller that picked its ports tries again on a bind failure ({@link #bindFailure}).
   */
  public static int[] pick(int count, Set<Integer> taken) {
    List<ServerSocket> probes = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; ) {
        ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress());
        probes.add(s);
        if (!taken.contains(s.getLocalPort())) {
          ports[i++] = s.getLocalPort();
        }
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    } finally {
      for (ServerSocket s : probes) {
        try {
          s.close();
        } catch (IOException e) {
          // a probe that will not close holds a port nobody was given
        }
      }
    }
  }

  /** Whether {@code e} is, or was caused by, a port another socket took first. */
  public static boolean bindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException) {
        return true;
      }
    }
    return false;
  }
}

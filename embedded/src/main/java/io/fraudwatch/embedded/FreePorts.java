package io.fraudwatch.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for embedded services (0 in config means "pick one"). */
public final class FreePorts {
  private FreePorts() {}

  public static int pick() {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  public static int orPick(int port) {
    return port == 0 ? pick() : port;
  }
}

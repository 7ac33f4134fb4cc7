package io.fraudwatch.scoring.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Serves a registry on {@code http://<any address>:<port>/metrics} (Prometheus text format) until
 * closed.
 */
public final class MetricsServer implements AutoCloseable {

  private final HTTPServer server;

  private MetricsServer(HTTPServer server) {
    this.server = server;
  }

  /**
   * @param port the TCP port, on every interface (a Prometheus server scrapes it from elsewhere)
   * @throws UncheckedIOException when the port cannot be bound (in use, say), naming it
   */
  public static MetricsServer start(int port, JobMetrics metrics) {
    try {
      return new MetricsServer(
          HTTPServer.builder().port(port).registry(metrics.registry()).buildAndStart());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve metrics on port " + port + " (metrics.port): " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}

package io.fraudwatch.scoring.metrics;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;

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
   * @throws CommandFailure (a configuration error) when the port cannot be bound (in use, say),
   *     naming it
   */
  public static MetricsServer start(int port, JobMetrics metrics) {
    try {
      return new MetricsServer(
          HTTPServer.builder().port(port).registry(metrics.registry()).buildAndStart());
    } catch (IOException e) {
      throw new CommandFailure(
          Cli.USAGE,
          "cannot serve metrics on port " + port + " (metrics.port): " + e.getMessage(),
          e);
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

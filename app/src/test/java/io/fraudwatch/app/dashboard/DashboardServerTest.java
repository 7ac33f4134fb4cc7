package io.fraudwatch.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.config.Settings;
import io.fraudwatch.scoring.job.DriftConfig;
import io.fraudwatch.scoring.job.ScoringConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The page's server without a database: its files, its refusals, and a read that fails. */
class DashboardServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private static DashboardData unreachableDatabase() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    PGSimpleDataSource db = new PGSimpleDataSource();
    db.setUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/fraudwatch");
    db.setConnectTimeout(2);
    Settings s = Settings.load(ScoringConfig.KEYS, Optional.empty(), Map.of(), Map.of());
    Settings d = Settings.load(DashboardConfig.KEYS, Optional.empty(), Map.of(), Map.of());
    DriftConfig drift = ScoringConfig.from(s).drift();
    return new DashboardData(db, DashboardConfig.from(d), "fraud-lr", drift, Clock.systemUTC());
  }

  private HttpResponse<String> send(DashboardServer server, String method, String path)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePageAndTheVendoredChartLibraryUnderAStrictPolicy() throws Exception {
    try (DashboardServer server = DashboardServer.start(unreachableDatabase(), "127.0.0.1", 0)) {
      HttpResponse<String> page = send(server, "GET", "/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<script src=\"/vendor/uPlot.iife.min.js\"></script>");
      assertThat(page.headers().firstValue("Content-Security-Policy"))
          .hasValue("default-src 'self'");
      HttpResponse<String> uplot = send(server, "GET", "/vendor/uPlot.iife.min.js");
      assertThat(uplot.statusCode()).isEqualTo(200);
      assertThat(uplot.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
      assertThat(uplot.body()).contains("uPlot");
      assertThat(send(server, "GET", "/app.js").statusCode()).isEqualTo(200);
      assertThat(send(server, "HEAD", "/app.css").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void refusesWritesAndUnknownPathsAndSaysWhenTheDatabaseFails() throws Exception {
    try (DashboardServer server = DashboardServer.start(unreachableDatabase(), "127.0.0.1", 0)) {
      HttpResponse<String> post = send(server, "POST", "/api/overview");
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
      assertThat(send(server, "GET", "/../etc/passwd").statusCode()).isEqualTo(404);
      assertThat(send(server, "GET", "/api/nothing").statusCode()).isEqualTo(404);
      HttpResponse<String> failed = send(server, "GET", "/api/alerts");
      assertThat(failed.statusCode()).isEqualTo(503);
      assertThat(failed.body()).startsWith("{\"error\":\"database read failed: ");
    }
  }
}

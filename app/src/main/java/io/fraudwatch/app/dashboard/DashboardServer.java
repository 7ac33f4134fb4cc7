package io.fraudwatch.app.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard over the JDK's HTTP server: the page, its script and style, the vendored chart
 * library (uPlot, from its WebJar on the classpath: nothing is fetched from elsewhere at run time),
 * and one JSON endpoint per panel. GET only; the page's Content-Security-Policy allows nothing but
 * this server.
 */
public final class DashboardServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

  /**
   * The uPlot WebJar's files, under the version the build pinned (app/pom.xml), as its own
   * pom.properties says.
   */
  static final String UPLOT =
      "/META-INF/resources/webjars/uplot/" + webJarVersion("org.webjars.npm", "uplot") + "/dist/";

  private static final String PAGE = "/io/fraudwatch/app/dashboard/";
  private static final Map<String, String[]> STATIC =
      Map.of(
          "/", new String[] {PAGE + "index.html", "text/html; charset=utf-8"},
          "/app.js", new String[] {PAGE + "app.js", "text/javascript; charset=utf-8"},
          "/app.css", new String[] {PAGE + "app.css", "text/css; charset=utf-8"},
          "/favicon.svg", new String[] {PAGE + "favicon.svg", "image/svg+xml"},
          "/vendor/uPlot.iife.min.js",
              new String[] {UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"},
          "/vendor/uPlot.min.css",
              new String[] {UPLOT + "uPlot.min.css", "text/css; charset=utf-8"});

  @FunctionalInterface
  private interface View {
    Object read() throws SQLException;
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final ObjectMapper json = new ObjectMapper();

  private DashboardServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /** Starts listening; {@code port} 0 takes any free port (see {@link #port()}). */
  public static DashboardServer start(DashboardData data, String bind, int port)
      throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(bind, port), 0);
    ExecutorService threads =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "fraudwatch-dashboard");
              t.setDaemon(true);
              return t;
            });
    DashboardServer s = new DashboardServer(http, threads);
    Map<String, View> api =
        Map.of(
            "/api/overview", data::overview,
            "/api/throughput", data::throughput,
            "/api/alerts", data::alerts,
            "/api/quality", data::quality,
            "/api/models", data::models,
            "/api/drift", data::drift,
            "/api/dead-letters", data::deadLetters,
            "/api/alert-rate-jumps", data::alertRateJumps);
    http.createContext("/", exchange -> s.handle(exchange, api));
    http.setExecutor(threads);
    http.start();
    return s;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange, Map<String, View> api) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(
            exchange,
            405,
            "text/plain; charset=utf-8",
            "method not allowed\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      View view = api.get(path);
      if (view != null) {
        try {
          send(exchange, 200, "application/json", json.writeValueAsBytes(view.read()));
        } catch (SQLException | RuntimeException e) {
          LOG.warn("dashboard: {} failed", path, e);
          send(
              exchange,
              503,
              "application/json",
              json.writeValueAsBytes(Map.of("error", "database read failed: " + e.getMessage())));
        }
        return;
      }
      String[] resource = STATIC.get(path);
      byte[] body = resource == null ? null : resource(resource[0]);
      if (body == null) {
        send(
            exchange,
            404,
            "text/plain; charset=utf-8",
            "not found\n".getBytes(StandardCharsets.UTF_8));
      } else {
        send(exchange, 200, resource[1], body);
      }
    }
  }

  static String webJarVersion(String group, String artifact) {
    String name = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = DashboardServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            name + " is not on the classpath: the build vendors " + artifact);
      }
      java.util.Properties p = new java.util.Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + name, e);
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = DashboardServer.class.getResourceAsStream(name)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    var h = exchange.getResponseHeaders();
    h.set("Content-Type", type);
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Content-Security-Policy", "default-src 'self'");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}

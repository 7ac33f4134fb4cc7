package io.fraudwatch.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudwatch.app.FraudwatchCommand;
import io.fraudwatch.app.StopSignal;
import io.fraudwatch.config.Cli;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * `bin/fraudwatch demo --dashboard` as a new user runs it, at a tiny size, and the page it serves
 * opened in a real headless Chromium (Debian's chromium and chromium-driver, which .ci/run
 * installs): it loads without console errors, and its charts hold the stream's data. The screenshot
 * is left in target/dashboard.png.
 */
class DashboardIT {
  private static final Path CHROMIUM = Path.of("/usr/lib/chromium/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Pattern ADDRESS =
      Pattern.compile("Dashboard: (http://127\\.0\\.0\\.1:\\d+/)");

  @TempDir Path tmp;

  @Test
  @Timeout(900)
  void theDemosDashboardShowsTheStreamInChromium() throws Exception {
    assertThat(CHROMIUM)
        .as("Debian's chromium (apt-get install chromium chromium-driver; .ci/run does)")
        .isExecutable();
    assertThat(CHROMEDRIVER).as("Debian's chromium-driver").exists();
    // setup: the demo, paced so that the job runs a few dozen batches, then serving its dashboard
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CountDownLatch stop = new CountDownLatch(1);
    StopSignal signal = stop::await;
    Path report = tmp.resolve("demo.json");
    CompletableFuture<Integer> demo =
        CompletableFuture.supplyAsync(
            () ->
                FraudwatchCommand.run(
                    Map.of(),
                    signal,
                    new PrintWriter(out, true),
                    new PrintWriter(err, true),
                    "demo",
                    "--customers",
                    "200",
                    "--terminals",
                    "400",
                    "--days",
                    "20",
                    "--bootstrap-days",
                    "10",
                    "--seed",
                    "3",
                    "--rate",
                    "800",
                    "--batch-interval",
                    "500ms",
                    "--work-dir",
                    tmp.resolve("demo").toString(),
                    "--report",
                    report.toString(),
                    "--dashboard",
                    "--dashboard-port",
                    "0"));
    String address =
        await()
            .atMost(Duration.ofMinutes(10))
            .pollInterval(Duration.ofMillis(500))
            .failFast("the demo ended", demo::isDone)
            .until(() -> address(out.toString()), a -> a != null);
    JsonNode summary = new ObjectMapper().readTree(report.toFile());

    ChromeDriver browser = chromium();
    try {
      // act
      browser.get(address);
      JavascriptExecutor js = browser;
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  ((Number)
                              js.executeScript(
                                  "return window.fraudwatch ? window.fraudwatch.refreshes : 0"))
                          .intValue()
                      >= 1);

      // verify: no error, on the page or in the console
      assertThat(js.executeScript("return window.fraudwatch.lastError")).isNull();
      List<LogEntry> console = browser.manage().logs().get(LogType.BROWSER).getAll();
      assertThat(console)
          .filteredOn(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
          .isEmpty();

      // the charts hold the stream: batches, every alert, precision per day, the online versions,
      // drift
      assertThat(points(js, "throughput", 1)).as("batches with events/s").isGreaterThanOrEqualTo(3);
      assertThat(points(js, "delays", 1)).isGreaterThanOrEqualTo(3);
      assertThat(sum(js, "alerts", 1))
          .as("alerts per hour add up to the demo's alerts")
          .isEqualTo(summary.get("alerts").asLong())
          .isPositive();
      assertThat(sum(js, "budget", 1)).isEqualTo(summary.get("alerts").asLong());
      assertThat(points(js, "quality", 1)).as("days with a labelled alert").isPositive();
      assertThat(points(js, "quality", 2)).as("days with card precision").isPositive();
      assertThat(points(js, "prequential", 2)).as("online versions' champion AUC").isPositive();
      assertThat(points(js, "drift", 1))
          .as("hours with the score's PSI")
          .isGreaterThanOrEqualTo(24);
      assertThat(js.executeScript("return window.fraudwatch.charts.drift.series[1].label"))
          .isEqualTo("score");
      assertThat(browser.findElement(org.openqa.selenium.By.id("timeline")).getText())
          .contains("demo bootstrap");
      assertThat(browser.findElements(org.openqa.selenium.By.cssSelector("#drift-latest tr")))
          .hasSizeGreaterThan(20);
      assertThat(browser.findElement(org.openqa.selenium.By.id("scope-jumps")).getText())
          .as("the job's activity windows were read")
          .startsWith("windows as of ");

      Path shot = Path.of("target", "dashboard.png");
      Files.createDirectories(shot.getParent());
      Files.copy(
          browser.getScreenshotAs(OutputType.FILE).toPath(),
          shot,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      browser.quit();
      stop.countDown();
    }
    assertThat(demo.get()).as("demo exit; stderr:%n%s", err).isEqualTo(Cli.OK);
  }

  private static String address(String out) {
    Matcher m = ADDRESS.matcher(out);
    return m.find() ? m.group(1) : null;
  }

  private ChromeDriver chromium() throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(new File("target/chromedriver.log"))
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1440, 2300));
    return driver;
  }

  /** Points of series {@code series} of a chart that have a value above 0. */
  private static long points(JavascriptExecutor js, String chart, int series) {
    return ((Number)
            js.executeScript(
                "const u = window.fraudwatch.charts[arguments[0]];"
                    + " return u ? u.data[arguments[1]].filter(v => v != null && v > 0).length : 0",
                chart,
                series))
        .longValue();
  }

  private static long sum(JavascriptExecutor js, String chart, int series) {
    return ((Number)
            js.executeScript(
                "const u = window.fraudwatch.charts[arguments[0]];"
                    + " return u ? u.data[arguments[1]].reduce((a, v) => a + (v || 0), 0) : 0",
                chart,
                series))
        .longValue();
  }
}

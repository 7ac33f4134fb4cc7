package io.fraudwatch.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.app.CommandRun;
import io.fraudwatch.app.FraudwatchCommand;
import io.fraudwatch.app.runtime.FraudwatchRuntime;
import io.fraudwatch.app.runtime.RuntimeConfig;
import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.Transaction;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.Settings;
import io.fraudwatch.embedded.EmbeddedKafkaBroker;
import io.fraudwatch.embedded.FreePorts;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelKind;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.NewModelVersion;
import io.fraudwatch.models.Slot;
import io.fraudwatch.models.TrainingData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canary passwords for the job's, the operator's and the analyst's logins and for Kafka are planted
 * where the product takes them (generated-secret files, environment variables, a JDBC URL
 * parameter); the scoring job then runs with the Spark UI on, and every place a secret could leak
 * is searched: the log (every logger at INFO), the commands' output and error messages, the command
 * lines of every process on the machine, and the Spark UI's environment page.
 */
class SecretsLeakIT {
  private static final String JOB = "canary-job-" + UUID.randomUUID();
  private static final String OPERATOR = "canary-operator-" + UUID.randomUUID();
  private static final String ANALYST = "canary-analyst-" + UUID.randomUUID();
  private static final String INVESTIGATOR = "canary-investigator-" + UUID.randomUUID();
  private static final String KAFKA = "canary-kafka-" + UUID.randomUUID();
  private static final List<String> CANARIES = List.of(JOB, OPERATOR, ANALYST, INVESTIGATOR, KAFKA);

  @TempDir Path dir;

  @Test
  @Timeout(600)
  void noCanaryAppearsInLogsMessagesCommandLinesOrTheSparkUi() throws Exception {
    StringWriter logs = captureEveryLogger();
    Path work = dir.resolve("work");
    Path secrets = Files.createDirectories(work.resolve("secrets"));
    Files.writeString(secrets.resolve("job.password"), JOB);
    Files.writeString(secrets.resolve("operator.password"), OPERATOR);
    Files.writeString(secrets.resolve("analyst.password"), ANALYST);
    Files.writeString(secrets.resolve("investigator.password"), INVESTIGATOR);
    int uiPort = FreePorts.pick();
    List<String> output = new ArrayList<>();
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(
            dir.resolve("kafka"),
            0,
            new EmbeddedKafkaBroker.SecureListeners(
                List.of("SASL_PLAINTEXT"), Map.of("scorer", KAFKA), null, null))) {
      broker.createTopics(
          List.of("fraud.transactions", "fraud.labels", "fraud.alerts", "fraud.transactions.dlq"),
          2);
      Map<String, String> kafkaEnv =
          Map.of(
              "FRAUDWATCH_KAFKA_BOOTSTRAP",
              broker.bootstrapServers("SASL_PLAINTEXT"),
              "FRAUDWATCH_KAFKA_SECURITY_PROTOCOL",
              "SASL_PLAINTEXT",
              "FRAUDWATCH_KAFKA_SASL_MECHANISM",
              "SCRAM-SHA-512",
              "FRAUDWATCH_KAFKA_SASL_USERNAME",
              "scorer",
              "FRAUDWATCH_KAFKA_SASL_PASSWORD",
              KAFKA);
      // the embedded PostgreSQL with the planted passwords (as dev-env keeps it); the command below
      // uses it as configured
      RuntimeConfig embedded =
          RuntimeConfig.from(
              Settings.load(
                  RuntimeConfig.KEYS,
                  Optional.empty(),
                  kafkaEnv,
                  Map.of("work-dir", work.toString())));
      try (FraudwatchRuntime runtime =
          FraudwatchRuntime.start(embedded, new PrintWriter(new StringWriter()))) {
        Services services = runtime.services();
        installChampion(services);
        Map<String, String> env = new HashMap<>(kafkaEnv);
        env.put("FRAUDWATCH_JDBC_URL", services.jdbcUrl() + "?password=" + JOB);
        env.put("FRAUDWATCH_JDBC_PASSWORD", JOB);
        env.put("FRAUDWATCH_JDBC_OPERATOR_PASSWORD", OPERATOR);
        env.put("FRAUDWATCH_JDBC_INVESTIGATOR_PASSWORD", INVESTIGATOR);

        CommandRun models = CommandRun.of(env, "models", "list");
        assertThat(models.exit()).as(models.err()).isEqualTo(Cli.OK);
        output.add(models.out());
        CommandRun review =
            CommandRun.of(
                env, "alerts", "review", "no-such", "--disposition", "unsure", "--note", "x");
        assertThat(review.exit()).as(review.err()).isEqualTo(Cli.NOT_FOUND);
        output.add(review.out());
        output.add(review.err());
        CommandRun migrate =
            CommandRun.of(
                Map.of(
                    "FRAUDWATCH_JDBC_URL",
                    "jdbc:postgresql://127.0.0.1:1/fraudwatch?password=" + JOB,
                    "FRAUDWATCH_JDBC_PASSWORD",
                    JOB),
                "migrate");
        output.add(migrate.out());
        output.add(migrate.err());

        System.setProperty("spark.ui.enabled", "true");
        System.setProperty("spark.ui.port", Integer.toString(uiPort));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CountDownLatch ctrlC = new CountDownLatch(1);
        CompletableFuture<Integer> score =
            CompletableFuture.supplyAsync(
                () ->
                    FraudwatchCommand.run(
                        env,
                        ctrlC::await,
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "score",
                        "--batch-interval",
                        "500ms",
                        "--set",
                        "work-dir=" + dir.resolve("score-work")));
        try {
          await()
              .atMost(Duration.ofMinutes(3))
              .until(() -> out.toString().contains("Press Ctrl-C") || score.isDone());
          assertThat(score).as("score exited early: %s", err).isNotDone();
          sendTransactions(broker.bootstrapServers(), 20);
          await().atMost(Duration.ofMinutes(2)).until(() -> scored(services) >= 20);

          // the page is a shell that its script fills from the UI's REST API: fetch both
          String ui = "http://127.0.0.1:" + uiPort;
          String environmentPage = fetch(ui + "/environment/");
          assertThat(environmentPage).contains("Environment");
          String app =
              new com.fasterxml.jackson.databind.ObjectMapper()
                  .readTree(fetch(ui + "/api/v1/applications"))
                  .get(0)
                  .get("id")
                  .asText();
          String environment = fetch(ui + "/api/v1/applications/" + app + "/environment");
          assertThat(environment)
              .contains("spark.app.name", "fraudwatch fraudwatch-scorer", "java.class.path");
          output.add(environmentPage);
          output.add(environment);
          output.add(String.join("\n", commandLines()));
        } finally {
          ctrlC.countDown();
          output.add("exit " + score.get());
          System.clearProperty("spark.ui.enabled");
          System.clearProperty("spark.ui.port");
        }
        output.add(out.toString());
        output.add(err.toString());
      }
    }
    output.add(logs.toString());

    String everything = String.join("\n", output);
    assertThat(everything)
        .as("what was searched")
        .contains(
            "exit 0",
            "password=******",
            "security.protocol = SASL_PLAINTEXT",
            "sasl.jaas.config = [hidden]");
    for (String canary : CANARIES) {
      assertThat(everything).doesNotContain(canary);
    }
  }

  /**
   * Every logger at INFO at least, into one writer (the product's file keeps libraries at WARN and
   * ERROR).
   */
  private static StringWriter captureEveryLogger() {
    StringWriter logs = new StringWriter();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    WriterAppender appender =
        WriterAppender.newBuilder()
            .setName("canary-search")
            .setTarget(logs)
            .setLayout(PatternLayout.newBuilder().withPattern("%d %p %c: %m%n%throwable").build())
            .build();
    appender.start();
    config.addAppender(appender);
    config.getRootLogger().addAppender(appender, Level.INFO, null);
    config.getRootLogger().setLevel(Level.INFO);
    for (LoggerConfig logger : config.getLoggers().values()) {
      if (logger.getLevel().isMoreSpecificThan(Level.WARN)) {
        logger.setLevel(Level.INFO);
      }
    }
    ctx.updateLoggers();
    return logs;
  }

  private static void installChampion(Services services) {
    ModelStore store = new ModelStore(services.jobDataSource(), HandbookFeatures.SCHEMA);
    int n = HandbookFeatures.SIZE;
    double[] stds = new double[n];
    java.util.Arrays.fill(stds, 1);
    double[] weights = new double[n + 1];
    weights[0] = 1;
    weights[n] = -100; // alerts above 100
    long v =
        store.save(
            NewModelVersion.of(
                ModelContent.create(
                    Clock.systemUTC(),
                    ModelContent.DEFAULT_MODEL,
                    "test",
                    ModelKind.BATCH,
                    HandbookFeatures.SCHEMA,
                    new double[n],
                    stds,
                    weights,
                    0.5,
                    TrainingData.batch(
                        Instant.parse("2018-04-01T00:00:00Z"),
                        Instant.parse("2018-04-02T00:00:00Z"),
                        "hand-made"),
                    Map.of())));
    store.promote(v, Slot.CHAMPION, "test", "canary run");
  }

  private static void sendTransactions(String plaintextBootstrap, int count) throws Exception {
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", plaintextBootstrap),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        Transaction tx =
            Transaction.newBuilder()
                .setTransactionId("canary-tx-" + i)
                .setEventTime(Instant.parse("2018-04-01T10:00:00Z").plusSeconds(i))
                .setCustomerId("c-" + i % 3)
                .setTerminalId("t-" + i % 5)
                .setAmount(50.0 + i * 10)
                .build();
        p.send(
                new ProducerRecord<>(
                    "fraud.transactions",
                    tx.getCustomerId().getBytes(StandardCharsets.UTF_8),
                    AvroCodec.TRANSACTION.encode(tx)))
            .get();
      }
    }
  }

  private static long scored(Services services) throws Exception {
    try (Connection c = services.jobDataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM fraudwatch.scored_transactions")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String fetch(String url) throws Exception {
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url).isEqualTo(200);
    return response.body();
  }

  /** The command line of every process on the machine (the embedded PostgreSQL's among them). */
  private static List<String> commandLines() throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          lines.add(
              new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                  .replace('\0', ' '));
        } catch (IOException gone) {
          // the process ended meanwhile
        }
      }
    }
    assertThat(lines).anyMatch(l -> l.contains("postgres"));
    return lines;
  }
}

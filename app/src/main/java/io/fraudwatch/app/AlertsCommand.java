package io.fraudwatch.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.fraudwatch.app.triage.OpenAlertsFilter;
import io.fraudwatch.app.triage.Triage;
import io.fraudwatch.avro.Alert;
import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.AvroDecodeException;
import io.fraudwatch.avro.ReasonCode;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigKey;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.DatabaseLogin;
import io.fraudwatch.config.DatabaseSettings;
import io.fraudwatch.config.KafkaSettings;
import io.fraudwatch.config.Settings;
import io.fraudwatch.config.Topics;
import io.fraudwatch.features.Disposition;
import io.fraudwatch.scoring.job.KafkaClientSecurity;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bin/fraudwatch alerts}: the alerts as services and analysts see them. */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = {
      "The alerts: follow the alert topic (tail); list the open ones and record investigators' reviews"
          + " (list, review; docs/triage.md)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:failure (service unreachable, unexpected error)",
      "2:usage or configuration error",
      "3:alert or topic not found",
      "6:the service refused the login, or the login is not an investigator"
    })
final class AlertsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Cli.USAGE;
  }

  /**
   * One alert on one line: event time, transaction, customer, terminal, amount, the score against
   * the threshold (or that only rules alerted), the model version, the rules that fired and the
   * reasons.
   */
  static String line(
      Instant eventTime,
      String transactionId,
      String customerId,
      String terminalId,
      double amount,
      double score,
      double threshold,
      boolean modelAlert,
      long modelVersion,
      List<String> codes) {
    return String.format(
        Locale.ROOT,
        "%s  %s  customer %s  terminal %s  %,.2f  score %.3f %s %.3f%s  v%d  %s",
        eventTime,
        transactionId,
        customerId,
        terminalId,
        amount,
        score,
        modelAlert ? ">=" : "<",
        threshold,
        modelAlert ? "" : " (rules alerted)",
        modelVersion,
        String.join(" ", codes));
  }

  @Command(
      name = "tail",
      mixinStandardHelpOptions = true,
      description = {
        "Print alerts from the alert topic as they arrive, one line each, until Ctrl-C.",
        "Reads the configured Kafka (kafka.bootstrap, its security settings) without",
        "joining a consumer group."
      })
  static final class Tail implements Callable<Integer> {
    @Mixin ConfigOptions config;
    @Spec CommandSpec spec;

    @Option(
        names = "--from-beginning",
        description = "start at the topic's first alert, not at its end")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "stop after N alerts (default: never)")
    Long max;

    private final Map<String, String> env;
    private final StopSignal stopSignal;

    Tail(Map<String, String> env, StopSignal stopSignal) {
      this.env = env;
      this.stopSignal = stopSignal;
    }

    @Override
    public Integer call() {
      if (max != null && max < 1) {
        throw new CommandFailure(Cli.USAGE, "--max must be positive, got " + max);
      }
      Settings settings = config.load(KafkaSettings.KEYS, env, Map.of());
      KafkaSettings kafka = KafkaSettings.from(settings);
      String bootstrap =
          kafka
              .bootstrap()
              .orElseThrow(
                  () ->
                      new CommandFailure(
                          Cli.USAGE,
                          "no Kafka configured: set"
                              + " kafka.bootstrap (FRAUDWATCH_KAFKA_BOOTSTRAP; for dev-env: source work/dev-env.sh)"));
      Map<String, Object> props =
          new HashMap<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap,
                  ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                  false));
      props = KafkaClientSecurity.of(kafka.security()).with(props);
      PrintWriter out = spec.commandLine().getOut();
      AtomicBoolean stopped = new AtomicBoolean();
      stopSignal.whenStopped("fraudwatch-alerts-tail-stop", () -> stopped.set(true));
      long printed = 0;
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        String topic = kafka.topics().alerts();
        var info = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (info == null || info.isEmpty()) {
          throw new CommandFailure(
              Cli.NOT_FOUND, "topic " + topic + " does not exist on " + bootstrap);
        }
        List<TopicPartition> partitions =
            info.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        if (fromBeginning) {
          consumer.seekToBeginning(partitions);
        } else {
          consumer.seekToEnd(partitions);
        }
        out.printf(
            "Alerts on %s at %s%s (Ctrl-C to stop):%n",
            topic, bootstrap, fromBeginning ? ", from the first" : "");
        out.flush();
        while (!stopped.get() && (max == null || printed < max)) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            out.println(line(r));
            if (max != null && ++printed >= max) {
              break;
            }
          }
          out.flush();
        }
      } finally {
        stopSignal.stopped();
      }
      return Cli.OK;
    }

    /** One alert record as {@link AlertsCommand#line} writes it, or why it is not one. */
    static String line(ConsumerRecord<byte[], byte[]> r) {
      try {
        Alert a = AvroCodec.ALERT.decode(r.value());
        List<String> codes = new ArrayList<>(a.getRules());
        a.getReasonCodes().stream().map(AlertsCommand.Tail::reason).forEach(codes::add);
        return AlertsCommand.line(
            a.getEventTime(),
            a.getTransactionId(),
            a.getCustomerId(),
            a.getTerminalId(),
            a.getAmount(),
            a.getScore(),
            a.getThreshold(),
            a.getModelAlert(),
            a.getModelVersion(),
            codes);
      } catch (AvroDecodeException e) {
        String key = r.key() == null ? "(no key)" : new String(r.key(), StandardCharsets.UTF_8);
        return "partition "
            + r.partition()
            + " offset "
            + r.offset()
            + " key "
            + key
            + ": not an alert ("
            + e.getMessage()
            + ")";
      }
    }

    private static String reason(ReasonCode c) {
      return String.format(Locale.ROOT, "%s:%+.2f", c.getFeature(), c.getContribution());
    }
  }

  /** {@code --json} of {@code list} and {@code review}: the reports' style, times as ISO text. */
  private static final ObjectMapper JSON =
      ReportJson.MAPPER
          .copy()
          .registerModule(
              new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance));

  /** What {@code list} and {@code review} read: the database and the labels topic's name. */
  static final List<ConfigKey> TRIAGE_KEYS =
      java.util.stream.Stream.concat(DatabaseSettings.KEYS.stream(), Topics.KEYS.stream()).toList();

  @DatabaseLogin(DatabaseLogin.Login.INVESTIGATOR)
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List the open alerts (not reviewed yet), oldest first.",
        "Reads jdbc.url as jdbc.investigator-user (a member of fraudwatch_investigator)."
      })
  static final class ListOpen implements Callable<Integer> {
    @Mixin ConfigOptions config;
    @Spec CommandSpec spec;

    @Option(
        names = "--since",
        paramLabel = "TIME",
        description = "only transactions at or after TIME (2018-08-08 or 2018-08-08T10:00:00Z)")
    String since;

    @Option(names = "--customer", paramLabel = "ID", description = "only this customer's alerts")
    String customer;

    @Option(names = "--terminal", paramLabel = "ID", description = "only this terminal's alerts")
    String terminal;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "50",
        description = "at most N alerts (1..10000, default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--json", description = "one JSON array instead of lines")
    boolean json;

    private final Map<String, String> env;

    ListOpen(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() throws Exception {
      OpenAlertsFilter filter;
      try {
        filter =
            new OpenAlertsFilter(
                Optional.ofNullable(since).map(ListOpen::instant),
                Optional.ofNullable(customer),
                Optional.ofNullable(terminal),
                limit);
      } catch (IllegalArgumentException e) {
        throw new CommandFailure(Cli.USAGE, e.getMessage());
      }
      List<Triage.OpenAlert> alerts;
      DatabaseSettings db = DatabaseSettings.from(config.load(TRIAGE_KEYS, env, Map.of()));
      try (Connection c = Triage.connect(db)) {
        alerts = Triage.open(c, filter);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(JSON.writeValueAsString(alerts));
      } else {
        out.printf(
            "%d open alerts, oldest first%s:%n",
            alerts.size(), alerts.size() == limit ? " (--limit reached)" : "");
        for (Triage.OpenAlert a : alerts) {
          out.println(
              line(
                  a.eventTime(),
                  a.transactionId(),
                  a.customerId(),
                  a.terminalId(),
                  a.amount().doubleValue(),
                  a.score(),
                  a.threshold(),
                  a.modelAlert(),
                  a.modelVersion(),
                  a.reasonCodes()));
        }
      }
      out.flush();
      return Cli.OK;
    }

    /** An ISO instant, or a UTC day. */
    static Instant instant(String value) {
      try {
        return value.contains("T")
            ? Instant.parse(value)
            : LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "--since: expected a day (2018-08-08) or an instant (2018-08-08T10:00:00Z), got '"
                + value
                + "'");
      }
    }
  }

  @DatabaseLogin(DatabaseLogin.Login.INVESTIGATOR)
  @Command(
      name = "review",
      mixinStandardHelpOptions = true,
      description = {
        "Record an investigator's disposition on an alert (append-only).",
        "A later review of the same alert is another row.",
        "confirmed_fraud and legitimate become a label (source INVESTIGATOR, known at the",
        "review's time) that the scoring job publishes on the labels topic; unsure labels",
        "nothing. Writes as jdbc.investigator-user; the database records who and when."
      })
  static final class Review implements Callable<Integer> {
    static final int MAX_NOTE = 4000;

    @Mixin ConfigOptions config;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "the alert's transaction id")
    String transactionId;

    @Option(
        names = "--disposition",
        required = true,
        paramLabel = "D",
        converter = DispositionConverter.class,
        description = "confirmed_fraud, legitimate or unsure")
    Disposition disposition;

    @Option(
        names = "--note",
        required = true,
        paramLabel = "TEXT",
        description = "what the investigator found (1..4000 characters)")
    String note;

    @Option(names = "--json", description = "the recorded review as JSON")
    boolean json;

    private final Map<String, String> env;

    Review(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() throws Exception {
      if (transactionId.isBlank()) {
        throw new CommandFailure(Cli.USAGE, "ID must not be blank");
      }
      if (note.isBlank() || note.length() > MAX_NOTE) {
        throw new CommandFailure(
            Cli.USAGE, "--note must hold 1.." + MAX_NOTE + " characters, got " + note.length());
      }
      Settings settings = config.load(TRIAGE_KEYS, env, Map.of());
      DatabaseSettings db = DatabaseSettings.from(settings);
      Triage.Recorded r;
      try (Connection c = Triage.connect(db)) {
        r = Triage.review(c, transactionId, disposition, note);
      }
      String topic = Topics.from(settings).labels();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(
            JSON.writeValueAsString(
                new ReviewJson(
                    r.reviewId(),
                    r.transactionId(),
                    r.disposition().sqlName(),
                    r.reviewedBy(),
                    r.reviewedAt(),
                    r.earlierReviews(),
                    r.disposition().fraud().orElse(null))));
      } else {
        out.printf(
            "review %d of alert %s recorded: %s by %s at %s%s%n",
            r.reviewId(),
            r.transactionId(),
            r.disposition().sqlName(),
            r.reviewedBy(),
            r.reviewedAt(),
            r.earlierReviews() == 0
                ? ""
                : " (the alert's review no. " + (r.earlierReviews() + 1) + ")");
        out.println(
            r.disposition()
                .fraud()
                .map(
                    fraud ->
                        "The scoring job publishes it on "
                            + topic
                            + " as a "
                            + (fraud ? "fraud" : "genuine")
                            + " label (source INVESTIGATOR) within a batch.")
                .orElse("unsure: no label."));
      }
      out.flush();
      return Cli.OK;
    }

    /**
     * @param label the label it becomes: true fraud, false genuine, null none ({@code unsure})
     */
    record ReviewJson(
        long reviewId,
        String transactionId,
        String disposition,
        String reviewedBy,
        Instant reviewedAt,
        int earlierReviews,
        Boolean label) {}

    static final class DispositionConverter implements CommandLine.ITypeConverter<Disposition> {
      @Override
      public Disposition convert(String value) {
        try {
          return Disposition.of(value);
        } catch (IllegalArgumentException e) {
          throw new CommandLine.TypeConversionException(e.getMessage());
        }
      }
    }
  }
}

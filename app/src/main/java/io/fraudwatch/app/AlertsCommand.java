package io.fraudwatch.app;

import io.fraudwatch.avro.Alert;
import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.AvroDecodeException;
import io.fraudwatch.avro.ReasonCode;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.KafkaSettings;
import io.fraudwatch.config.Settings;
import io.fraudwatch.scoring.job.KafkaClientSecurity;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bin/fraudwatch alerts}: the alerts as services and analysts see them. */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = "The alerts on the alert topic (topics.alerts).")
final class AlertsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Cli.USAGE;
  }

  @Command(
      name = "tail",
      mixinStandardHelpOptions = true,
      description = {
        "Print alerts from the alert topic as they arrive, one line each, until Ctrl-C.",
        "Reads the configured Kafka (kafka.bootstrap, its security settings) without joining a consumer group."
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

    /**
     * One alert: event time, transaction, customer, terminal, amount, score against threshold,
     * model, reasons.
     */
    static String line(ConsumerRecord<byte[], byte[]> r) {
      try {
        Alert a = AvroCodec.ALERT.decode(r.value());
        String reasons =
            a.getReasonCodes().stream()
                .map(AlertsCommand.Tail::reason)
                .collect(Collectors.joining(" "));
        return String.format(
            Locale.ROOT,
            "%s  %s  customer %s  terminal %s  %,.2f  score %.3f >= %.3f  v%d  %s",
            a.getEventTime(),
            a.getTransactionId(),
            a.getCustomerId(),
            a.getTerminalId(),
            a.getAmount(),
            a.getScore(),
            a.getThreshold(),
            a.getModelVersion(),
            reasons);
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
}

package io.fraudwatch.scoring.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.config.KafkaSettings;
import io.fraudwatch.config.Secret;
import io.fraudwatch.config.Settings;
import io.fraudwatch.config.Topics;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobSettingsTest {

  @Test
  void whatTheTasksCarryNamesTheSecretFilesButHoldsNoSecret() throws Exception {
    String dbPassword = "db-" + System.nanoTime();
    String kafkaPassword = "kafka-" + System.nanoTime();
    KafkaSettings kafka =
        KafkaSettings.from(
            Settings.load(
                KafkaSettings.KEYS,
                Optional.empty(),
                Map.of("FRAUDWATCH_KAFKA_SASL_PASSWORD", kafkaPassword),
                Map.of(
                    "kafka.bootstrap",
                    "b:9093",
                    "kafka.security-protocol",
                    "SASL_PLAINTEXT",
                    "kafka.sasl-mechanism",
                    "SCRAM-SHA-256",
                    "kafka.sasl-username",
                    "scorer")));
    SecretFile passwordFile = SecretFile.of(Secret.fromEnv("FRAUDWATCH_JDBC_PASSWORD", dbPassword));
    JobSettings settings =
        new JobSettings(
            "scorer",
            "jdbc:postgresql://db/fw",
            "scorer",
            passwordFile,
            2,
            "b:9093",
            new Topics("t", "l", "a", "d"),
            Duration.ofMinutes(1),
            Duration.ofDays(7),
            KafkaClientSecurity.of(kafka.security()),
            JobSettings.JdbcTls.DRIVER_DEFAULT,
            Duration.ofMinutes(10),
            "",
            Duration.ofHours(1));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(settings);
    }

    String shipped = bytes.toString(StandardCharsets.ISO_8859_1);
    assertThat(shipped)
        .contains(passwordFile.path())
        .doesNotContain(dbPassword)
        .doesNotContain(kafkaPassword);
    assertThat(settings.toString()).doesNotContain(dbPassword).doesNotContain(kafkaPassword);
    assertThat(passwordFile.read()).isEqualTo(dbPassword);
  }
}

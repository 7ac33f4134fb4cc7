package io.fraudwatch.scoring.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.config.KafkaSettings;
import io.fraudwatch.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSecurityTest {

  @TempDir Path dir;

  private static KafkaClientSecurity security(Map<String, String> env, Map<String, String> flags) {
    return KafkaClientSecurity.of(
        KafkaSettings.from(Settings.load(KafkaSettings.KEYS, Optional.empty(), env, flags))
            .security());
  }

  /**
   * What a Kafka client does with the properties: resolves the references in the JVM that creates
   * it.
   */
  private static ConsumerConfig resolved(KafkaClientSecurity s) {
    Map<String, Object> p = new HashMap<>(s.clientProperties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9093");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return new ConsumerConfig(p);
  }

  @Test
  void thePropertiesNameTheSecretFilesAndTheClientReadsThem() throws Exception {
    Path pw = Files.writeString(dir.resolve("kafka.password"), "pa\"ss\\word\n");
    Path trust = Files.writeString(dir.resolve("ca.p12"), "not read by the config");
    Path trustPw = Files.writeString(dir.resolve("ca.password"), "trust-secret");
    KafkaClientSecurity s =
        security(
            Map.of(
                "FRAUDWATCH_KAFKA_SASL_PASSWORD_FILE",
                pw.toString(),
                "FRAUDWATCH_KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE",
                trustPw.toString()),
            Map.of(
                "kafka.bootstrap",
                "b:9093",
                "kafka.security-protocol",
                "SASL_SSL",
                "kafka.sasl-mechanism",
                "SCRAM-SHA-256",
                "kafka.sasl-username",
                "scorer",
                "kafka.ssl-truststore",
                trust.toString()));

    assertThat(s.clientProperties().toString())
        .doesNotContain("pa\"ss")
        .doesNotContain("trust-secret")
        .contains("${fraudwatch:" + pw + ":jaas}");
    ConsumerConfig config = resolved(s);
    assertThat(config.getString("security.protocol")).isEqualTo("SASL_SSL");
    assertThat(config.getPassword("sasl.jaas.config").value())
        .isEqualTo(
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"scorer\" password=\"pa\\\"ss\\\\word\";");
    assertThat(config.getString("ssl.truststore.location")).isEqualTo(trust.toString());
    assertThat(config.getPassword("ssl.truststore.password").value()).isEqualTo("trust-secret");
  }

  @Test
  void aPasswordFromTheEnvironmentGoesToAnOwnerOnlyFile() throws Exception {
    KafkaClientSecurity s =
        security(
            Map.of("FRAUDWATCH_KAFKA_SASL_PASSWORD", "from-env"),
            Map.of(
                "kafka.bootstrap",
                "b:9093",
                "kafka.security-protocol",
                "SASL_PLAINTEXT",
                "kafka.sasl-mechanism",
                "PLAIN",
                "kafka.sasl-username",
                "u"));

    Path file = Path.of(s.saslPassword().path());
    assertThat(Files.readString(file)).isEqualTo("from-env");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(resolved(s).getPassword("sasl.jaas.config").value())
        .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required")
        .contains("\"from-env\"");
  }

  @Test
  void aConfiguredPasswordFileIsNamedNotReadSoThatEachJvmFindsItsOwn() {
    Settings s =
        Settings.load(
            io.fraudwatch.config.DatabaseSettings.KEYS,
            Optional.empty(),
            Map.of("FRAUDWATCH_JDBC_PASSWORD_FILE", "job.password"),
            Map.of());

    assertThat(SecretFile.configured(s, "jdbc.password")).isEqualTo(new SecretFile("job.password"));
    assertThat(
            SecretFile.configured(
                Settings.load(
                    io.fraudwatch.config.DatabaseSettings.KEYS,
                    Optional.empty(),
                    Map.of(),
                    Map.of()),
                "jdbc.password"))
        .isNull();
  }

  @Test
  void plaintextAddsNoProviderAndAMissingFileIsNamed() {
    assertThat(KafkaClientSecurity.PLAINTEXT.clientProperties())
        .containsOnlyKeys("security.protocol");
    assertThatThrownBy(() -> new SecretFile(dir.resolve("nowhere").toString()).read())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nowhere is not readable in this JVM")
        .hasMessageContaining("spark-submit --files");
  }
}

package io.fraudwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportSettingsTest {

  private static final List<ConfigKey> KEYS = keys();

  @TempDir Path dir;

  private static List<ConfigKey> keys() {
    List<ConfigKey> keys = new ArrayList<>(KafkaSettings.KEYS);
    keys.addAll(DatabaseSettings.KEYS);
    return keys;
  }

  private static Settings load(Map<String, String> env, Map<String, String> flags) {
    return Settings.load(KEYS, Optional.empty(), env, flags);
  }

  @Test
  void saslScramTakesThePasswordFromAFileOnly() throws Exception {
    Path pw = Files.writeString(dir.resolve("kafka.password"), "k-secret\n");

    KafkaSettings k =
        KafkaSettings.from(
            load(
                Map.of("FRAUDWATCH_KAFKA_SASL_PASSWORD_FILE", pw.toString()),
                Map.of(
                    "kafka.bootstrap",
                    "b:9093",
                    "kafka.security-protocol",
                    "sasl_ssl",
                    "kafka.sasl-mechanism",
                    "scram-sha-512",
                    "kafka.sasl-username",
                    "scorer",
                    "kafka.ssl-truststore",
                    "/etc/kafka/ca.p12")));

    assertThat(k.security().protocol()).isEqualTo("SASL_SSL");
    KafkaSecurity.Sasl sasl = k.security().sasl().orElseThrow();
    assertThat(sasl.mechanism()).isEqualTo("SCRAM-SHA-512");
    assertThat(sasl.password().reveal()).isEqualTo("k-secret");
    assertThat(sasl.password().file()).contains(pw);
    assertThat(k.security().truststore().orElseThrow().type()).isEqualTo("PKCS12");
    assertThat(k.toString()).doesNotContain("k-secret");
    assertThatThrownBy(() -> load(Map.of(), Map.of("kafka.sasl-password", "in-clear")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("secrets are not accepted");
  }

  @Test
  void incompleteOrContradictorySecurityIsRefusedWithTheKey() {
    assertThatThrownBy(
            () ->
                KafkaSettings.from(
                    load(
                        Map.of(),
                        Map.of(
                            "kafka.bootstrap",
                            "b:9093",
                            "kafka.security-protocol",
                            "SASL_PLAINTEXT",
                            "kafka.sasl-mechanism",
                            "SCRAM-SHA-256",
                            "kafka.sasl-username",
                            "u"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.sasl-password: is required");
    assertThatThrownBy(
            () ->
                KafkaSettings.from(
                    load(
                        Map.of(),
                        Map.of(
                            "kafka.bootstrap",
                            "b:9093",
                            "kafka.security-protocol",
                            "SASL_PLAINTEXT"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.sasl-mechanism: is required");
    assertThatThrownBy(
            () ->
                KafkaSettings.from(
                    load(
                        Map.of(), Map.of("kafka.bootstrap", "b:9093", "kafka.sasl-username", "u"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.sasl-username: is set but");
    assertThatThrownBy(
            () ->
                KafkaSettings.from(
                    load(
                        Map.of(),
                        Map.of("kafka.bootstrap", "b:9093", "kafka.ssl-truststore", "/ca.p12"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.ssl-truststore: is set but");
    assertThatThrownBy(
            () ->
                KafkaSettings.from(
                    load(
                        Map.of(),
                        Map.of("kafka.bootstrap", "b:9093", "kafka.security-protocol", "TLS"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("expected one of PLAINTEXT, SSL");
    assertThatThrownBy(
            () -> KafkaSettings.from(load(Map.of(), Map.of("kafka.security-protocol", "SSL"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("needs kafka.bootstrap");
  }

  @Test
  void postgresTlsBecomesDriverPropertiesAndTheOperatorHasItsOwnLogin() {
    DatabaseSettings db =
        DatabaseSettings.from(
            load(
                Map.of("FRAUDWATCH_JDBC_OPERATOR_PASSWORD", "op-secret"),
                Map.of(
                    "jdbc.url",
                    "jdbc:postgresql://db:5432/fw",
                    "jdbc.ssl-mode",
                    "VERIFY-FULL",
                    "jdbc.ssl-root-cert",
                    "/etc/fraudwatch/root.crt",
                    "jdbc.operator-user",
                    "alice_ops")));

    assertThat(db.tls().driverProperties())
        .containsExactly(
            Map.entry("sslmode", "verify-full"),
            Map.entry("sslrootcert", "/etc/fraudwatch/root.crt"));
    assertThat(db.operatorUser()).isEqualTo("alice_ops");
    assertThat(db.operatorPassword().orElseThrow().reveal()).isEqualTo("op-secret");
    assertThat(db.operatorPassword().orElseThrow().file()).isEmpty();
    assertThatThrownBy(() -> DatabaseSettings.from(load(Map.of(), Map.of("jdbc.ssl-mode", "on"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("jdbc.ssl-mode: expected one of disable");
  }

  @Test
  void jdbcUrlsAreShownWithoutTheirPassword() {
    assertThat(JdbcUrls.redact("jdbc:postgresql://db/fw?user=job&password=hunter2&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/fw?user=job&password=******&ssl=true");
    assertThat(JdbcUrls.redact("jdbc:postgresql://db/fw?PASSWORD=hunter2"))
        .isEqualTo("jdbc:postgresql://db/fw?PASSWORD=******");
    assertThat(JdbcUrls.redact("jdbc:postgresql://db/fw?sslpassword=k")).doesNotContain("=k");
    Settings s = load(Map.of(), Map.of("jdbc.url", "jdbc:postgresql://db/fw?password=hunter2"));
    assertThat(s.describe()).noneMatch(line -> line.contains("hunter2"));
    assertThatThrownBy(
            () ->
                DatabaseSettings.from(
                    load(Map.of(), Map.of("jdbc.url", "jdbc:mysql://db/fw?password=hunter2"))))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }
}

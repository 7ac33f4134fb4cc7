package io.fraudwatch.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How Kafka clients authenticate and encrypt: the security protocol, SASL (PLAIN,
 * SCRAM-SHA-256/512) with the password from a file or the environment, and TLS trust and key stores
 * from files with their passwords as secrets. Every Kafka client the product makes gets these
 * settings.
 */
public record KafkaSecurity(
    String protocol,
    Optional<Sasl> sasl,
    Optional<Store> truststore,
    Optional<Store> keystore,
    Optional<Secret> keyPassword) {

  /** SASL: the mechanism, the user and its password. */
  public record Sasl(String mechanism, String username, Secret password) {}

  /** A TLS key or trust store file, its type (PKCS12, JKS, PEM) and its password if it has one. */
  public record Store(Path file, String type, Optional<Secret> password) {}

  public static final KafkaSecurity PLAINTEXT =
      new KafkaSecurity(
          "PLAINTEXT", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
  static final List<String> STORE_TYPES = List.of("PKCS12", "JKS", "PEM");

  public static final List<ConfigKey> KEYS =
      List.of(
          ConfigKey.of(
              "kafka.security-protocol", "PLAINTEXT", "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL"),
          ConfigKey.of(
              "kafka.sasl-mechanism", null, "with SASL_*: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512"),
          ConfigKey.of("kafka.sasl-username", null, "with SASL_*: the Kafka user"),
          ConfigKey.secret(
              "kafka.sasl-password",
              "with SASL_*: the Kafka user's password: FRAUDWATCH_KAFKA_SASL_PASSWORD,"
                  + " or kafka.sasl-password-file=FILE"),
          ConfigKey.of(
              "kafka.ssl-truststore",
              null,
              "with SSL / SASL_SSL: trust store file of the CA(s) that signed the"
                  + " brokers' certificates (unset: the JVM's default CAs)"),
          ConfigKey.of("kafka.ssl-truststore-type", "PKCS12", "PKCS12, JKS or PEM"),
          ConfigKey.secret(
              "kafka.ssl-truststore-password",
              "the trust store's password, if it has one:"
                  + " FRAUDWATCH_KAFKA_SSL_TRUSTSTORE_PASSWORD, or kafka.ssl-truststore-password-file=FILE"),
          ConfigKey.of(
              "kafka.ssl-keystore",
              null,
              "with SSL / SASL_SSL: key store file with the client's certificate and"
                  + " key, when the brokers ask for one (mutual TLS)"),
          ConfigKey.of("kafka.ssl-keystore-type", "PKCS12", "PKCS12, JKS or PEM"),
          ConfigKey.secret(
              "kafka.ssl-keystore-password",
              "the key store's password: FRAUDWATCH_KAFKA_SSL_KEYSTORE_PASSWORD,"
                  + " or kafka.ssl-keystore-password-file=FILE"),
          ConfigKey.secret(
              "kafka.ssl-key-password",
              "the private key's password, if it differs from the key store's:"
                  + " FRAUDWATCH_KAFKA_SSL_KEY_PASSWORD, or kafka.ssl-key-password-file=FILE"));

  static KafkaSecurity from(Settings s) {
    String protocol = oneOf(s, "kafka.security-protocol", PROTOCOLS);
    boolean saslProtocol = protocol.startsWith("SASL_");
    boolean tlsProtocol = protocol.equals("SSL") || protocol.equals("SASL_SSL");
    Optional<Sasl> sasl = Optional.empty();
    if (saslProtocol) {
      String mechanism =
          s.optional("kafka.sasl-mechanism").isPresent()
              ? oneOf(s, "kafka.sasl-mechanism", MECHANISMS)
              : fail(
                  "kafka.sasl-mechanism",
                  "is required with kafka.security-protocol="
                      + protocol
                      + " (one of "
                      + String.join(", ", MECHANISMS)
                      + ")");
      String user =
          s.optional("kafka.sasl-username")
              .orElseGet(
                  () ->
                      fail(
                          "kafka.sasl-username",
                          "is required with kafka.security-protocol=" + protocol));
      Secret password =
          s.secret("kafka.sasl-password")
              .orElseGet(
                  () ->
                      fail(
                          "kafka.sasl-password",
                          "is required with kafka.security-protocol="
                              + protocol
                              + "; set kafka.sasl-password-file=FILE or the"
                              + " environment variable FRAUDWATCH_KAFKA_SASL_PASSWORD"));
      sasl = Optional.of(new Sasl(mechanism, user, password));
    } else {
      for (String key : List.of("kafka.sasl-mechanism", "kafka.sasl-username")) {
        s.optional(key)
            .ifPresent(
                v ->
                    fail(
                        key,
                        "is set but kafka.security-protocol is "
                            + protocol
                            + " (from "
                            + s.origin("kafka.security-protocol")
                            + "); use SASL_PLAINTEXT or SASL_SSL"));
      }
    }
    Optional<Store> truststore = store(s, "kafka.ssl-truststore");
    Optional<Store> keystore = store(s, "kafka.ssl-keystore");
    Optional<Secret> keyPassword = s.secret("kafka.ssl-key-password");
    if (!tlsProtocol && (truststore.isPresent() || keystore.isPresent())) {
      fail(
          truststore.isPresent() ? "kafka.ssl-truststore" : "kafka.ssl-keystore",
          "is set but kafka.security-protocol is "
              + protocol
              + " (from "
              + s.origin("kafka.security-protocol")
              + "); use SSL or SASL_SSL");
    }
    if (keystore.isPresent()
        && keystore.get().password().isEmpty()
        && !keystore.get().type().equals("PEM")) {
      fail(
          "kafka.ssl-keystore-password",
          "is required with kafka.ssl-keystore (a key store's key needs its password)");
    }
    return new KafkaSecurity(protocol, sasl, truststore, keystore, keyPassword);
  }

  private static Optional<Store> store(Settings s, String key) {
    return s.optional(key)
        .map(
            file ->
                new Store(
                    Path.of(file),
                    oneOf(s, key + "-type", STORE_TYPES),
                    s.secret(key + "-password")));
  }

  private static String oneOf(Settings s, String key, List<String> allowed) {
    String v = s.string(key).toUpperCase(Locale.ROOT);
    if (!allowed.contains(v)) {
      throw new ConfigException(
          key,
          "expected one of "
              + String.join(", ", allowed)
              + ", got '"
              + s.string(key)
              + "' (from "
              + s.origin(key)
              + ")");
    }
    return v;
  }

  private static <T> T fail(String key, String message) {
    throw new ConfigException(key, message);
  }

  public boolean usesTls() {
    return protocol.equals("SSL") || protocol.equals("SASL_SSL");
  }
}

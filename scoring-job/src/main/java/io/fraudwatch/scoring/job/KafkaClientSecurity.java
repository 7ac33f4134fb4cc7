package io.fraudwatch.scoring.job;

import io.fraudwatch.config.KafkaSecurity;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * The Kafka client security settings every client of the product gets (the job's consumers and
 * producer, replay, bench and admin clients), with every secret and store as a {@link SecretFile}
 * reference that each JVM resolves itself ({@link SecretFileConfigProvider}): the properties can be
 * logged, shipped to executors and shown without revealing a password.
 *
 * @param mechanism SASL mechanism, null without SASL
 */
public record KafkaClientSecurity(
    String protocol,
    String mechanism,
    String username,
    SecretFile saslPassword,
    SecretFile truststore,
    String truststoreType,
    SecretFile truststorePassword,
    SecretFile keystore,
    String keystoreType,
    SecretFile keystorePassword,
    SecretFile keyPassword)
    implements Serializable {

  public static final KafkaClientSecurity PLAINTEXT =
      new KafkaClientSecurity(
          "PLAINTEXT", null, null, null, null, null, null, null, null, null, null);

  /**
   * From the configured settings; secrets from the environment are written to owner-only temporary
   * files.
   */
  public static KafkaClientSecurity of(KafkaSecurity s) {
    var sasl = s.sasl();
    var trust = s.truststore();
    var key = s.keystore();
    return new KafkaClientSecurity(
        s.protocol(),
        sasl.map(KafkaSecurity.Sasl::mechanism).orElse(null),
        sasl.map(KafkaSecurity.Sasl::username).orElse(null),
        sasl.map(x -> SecretFile.of(x.password())).orElse(null),
        trust.map(t -> new SecretFile(t.file().toString())).orElse(null),
        trust.map(KafkaSecurity.Store::type).orElse(null),
        trust.flatMap(KafkaSecurity.Store::password).map(SecretFile::of).orElse(null),
        key.map(k -> new SecretFile(k.file().toString())).orElse(null),
        key.map(KafkaSecurity.Store::type).orElse(null),
        key.flatMap(KafkaSecurity.Store::password).map(SecretFile::of).orElse(null),
        s.keyPassword().map(SecretFile::of).orElse(null));
  }

  /** The client properties to add to any producer, consumer or admin client's own. */
  public Map<String, Object> clientProperties() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
    boolean references = false;
    if (mechanism != null) {
      p.put(SaslConfigs.SASL_MECHANISM, mechanism);
      String module =
          mechanism.equals("PLAIN")
              ? "org.apache.kafka.common.security.plain.PlainLoginModule"
              : "org.apache.kafka.common.security.scram.ScramLoginModule";
      p.put(
          SaslConfigs.SASL_JAAS_CONFIG,
          module
              + " required username=\""
              + jaasQuoted(username)
              + "\" password=\""
              + SecretFileConfigProvider.reference(saslPassword, SecretFileConfigProvider.JAAS)
              + "\";");
      references = true;
    }
    if (truststore != null) {
      p.put(
          SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
          SecretFileConfigProvider.reference(truststore, SecretFileConfigProvider.PATH));
      p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, truststoreType);
      if (truststorePassword != null) {
        p.put(
            SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG,
            SecretFileConfigProvider.reference(truststorePassword, SecretFileConfigProvider.VALUE));
      }
      references = true;
    }
    if (keystore != null) {
      p.put(
          SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG,
          SecretFileConfigProvider.reference(keystore, SecretFileConfigProvider.PATH));
      p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, keystoreType);
      if (keystorePassword != null) {
        p.put(
            SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG,
            SecretFileConfigProvider.reference(keystorePassword, SecretFileConfigProvider.VALUE));
      }
      if (keyPassword != null) {
        p.put(
            SslConfigs.SSL_KEY_PASSWORD_CONFIG,
            SecretFileConfigProvider.reference(keyPassword, SecretFileConfigProvider.VALUE));
      }
      references = true;
    }
    if (references) {
      p.put("config.providers", SecretFileConfigProvider.NAME);
      p.put(
          "config.providers." + SecretFileConfigProvider.NAME + ".class",
          SecretFileConfigProvider.class.getName());
    }
    return p;
  }

  /** {@code base} with these settings added (they win). */
  public Map<String, Object> with(Map<String, Object> base) {
    Map<String, Object> all = new LinkedHashMap<>(base);
    all.putAll(clientProperties());
    return all;
  }

  private static String jaasQuoted(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}

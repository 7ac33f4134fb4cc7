package io.fraudwatch.scoring.job;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * Lets Kafka clients read secrets from files in the JVM that creates them: a client config value
 * {@code ${fraudwatch:/path/to/file:KEY}} is replaced by Kafka (KIP-421) when the client starts.
 * Spark ships the Kafka parameters of the direct stream to the executors inside its tasks; with
 * these references only file names travel, and each executor reads the secret (see {@link
 * SecretFile}, which also finds files shipped with spark-submit --files).
 *
 * <p>Keys: {@value #VALUE} the file's content; {@value #JAAS} the content escaped for a quoted JAAS
 * option; {@value #PATH} where this JVM finds the file (for key and trust store locations).
 */
public final class SecretFileConfigProvider implements ConfigProvider {
  public static final String NAME = "fraudwatch";
  public static final String VALUE = "value";
  public static final String JAAS = "jaas";
  public static final String PATH = "path";

  @Override
  public void configure(Map<String, ?> configs) {
    // nothing to configure: the path comes with each reference
  }

  @Override
  public ConfigData get(String path) {
    return get(path, Set.of(VALUE, PATH));
  }

  @Override
  public ConfigData get(String path, Set<String> keys) {
    SecretFile file = new SecretFile(path);
    Map<String, String> data = new HashMap<>();
    for (String key : keys) {
      data.put(
          key,
          switch (key) {
            case VALUE -> file.read();
            case JAAS -> file.read().replace("\\", "\\\\").replace("\"", "\\\"");
            case PATH -> file.locate().toString();
            default ->
                throw new IllegalArgumentException(
                    "unknown key "
                        + key
                        + " for "
                        + NAME
                        + " references (use "
                        + VALUE
                        + ", "
                        + JAAS
                        + " or "
                        + PATH
                        + ")");
          });
    }
    return new ConfigData(data);
  }

  /** {@code ${fraudwatch:PATH:KEY}}. */
  static String reference(SecretFile file, String key) {
    if (file.path().matches(".*[:{}].*")) {
      throw new IllegalArgumentException(
          "Kafka clients cannot refer to file "
              + file.path()
              + ": its path has ':', '{' or '}'; use another path");
    }
    return "${" + NAME + ":" + file.path() + ":" + key + "}";
  }

  @Override
  public void close() {
    // nothing held
  }
}

package io.fraudwatch.features;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The ordered names of a model's input features (without the bias term). Two schemas are compatible
 * only when their names and order are equal, which the {@link #hash()} captures.
 */
public record FeatureSchema(List<String> names) {

  public FeatureSchema {
    if (names == null || names.isEmpty()) {
      throw new IllegalArgumentException("a feature schema needs at least one feature");
    }
    names = List.copyOf(names);
    if (names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("feature names must be unique: " + names);
    }
  }

  public int size() {
    return names.size();
  }

  /** SHA-256 over the names in order, newline-separated; hex. */
  public String hash() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of()
          .formatHex(sha.digest(String.join("\n", names).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}

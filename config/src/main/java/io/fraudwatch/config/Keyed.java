package io.fraudwatch.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** An enum constant named by a key in config and on command lines (e.g. {@code ap-led}). */
public interface Keyed {

  String key();

  /** The constant of {@code type} whose key is {@code key}, if any. */
  static <E extends Enum<E> & Keyed> Optional<E> find(Class<E> type, String key) {
    return Arrays.stream(type.getEnumConstants()).filter(e -> e.key().equals(key)).findFirst();
  }

  /** The keys of {@code type}, in declaration order, for an error message: "a, b, c". */
  static <E extends Enum<E> & Keyed> String keys(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(Keyed::key).collect(Collectors.joining(", "));
  }
}

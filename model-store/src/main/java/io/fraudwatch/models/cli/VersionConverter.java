package io.fraudwatch.models.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a version as shown ({@code v12}) or as its bare number ({@code 12}). */
final class VersionConverter implements ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    String digits = value.startsWith("v") || value.startsWith("V") ? value.substring(1) : value;
    try {
      long id = Long.parseLong(digits);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new TypeConversionException(
        "'" + value + "' is not a model version (expected e.g. v12 or 12)");
  }
}

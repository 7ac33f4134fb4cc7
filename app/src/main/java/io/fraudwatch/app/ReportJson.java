package io.fraudwatch.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How the commands write their {@code --report} files: a Java record as JSON, its components in
 * snake_case, maps ordered by key, indented. One mapper, so every report reads alike.
 */
public final class ReportJson {
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private ReportJson() {}

  public static void write(Path file, Object report) throws IOException {
    MAPPER.writeValue(file.toFile(), report);
  }
}

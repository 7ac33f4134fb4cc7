package io.fraudwatch.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * A report as its {@code --report} file holds it, read back as maps with every whole number a long.
 */
public final class ReportMaps {
  private static final ObjectMapper READ_BACK =
      ReportJson.MAPPER.copy().enable(DeserializationFeature.USE_LONG_FOR_INTS);

  private ReportMaps() {}

  @SuppressWarnings("unchecked")
  public static Map<String, Object> asWritten(Object report) {
    return READ_BACK.convertValue(report, Map.class);
  }
}

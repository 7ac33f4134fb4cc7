package io.fraudwatch.models;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a version learned from: the event-time window, a human description of the data, and for
 * online versions the Kafka position ({@code "topic-partition" -> next offset}) and the label
 * watermark it has learned up to. Times are kept to the microsecond, as PostgreSQL stores them.
 */
public record TrainingData(
    Instant from,
    Instant to,
    String description,
    Map<String, Long> kafkaOffsets,
    Optional<Instant> labelWatermark) {

  public TrainingData {
    Objects.requireNonNull(from, "training window start");
    Objects.requireNonNull(to, "training window end");
    Objects.requireNonNull(description, "training data description");
    Objects.requireNonNull(kafkaOffsets, "kafka offsets");
    Objects.requireNonNull(labelWatermark, "label watermark");
    from = from.truncatedTo(ChronoUnit.MICROS);
    to = to.truncatedTo(ChronoUnit.MICROS);
    kafkaOffsets = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(kafkaOffsets));
    labelWatermark = labelWatermark.map(w -> w.truncatedTo(ChronoUnit.MICROS));
  }

  /** A batch fit over a window of history. */
  public static TrainingData batch(Instant from, Instant to, String description) {
    return new TrainingData(from, to, description, Map.of(), Optional.empty());
  }

  /** An online model's state: the stream position and label watermark it has learned up to. */
  public static TrainingData online(
      Instant from,
      Instant to,
      String description,
      Map<String, Long> kafkaOffsets,
      Instant labelWatermark) {
    return new TrainingData(from, to, description, kafkaOffsets, Optional.of(labelWatermark));
  }
}

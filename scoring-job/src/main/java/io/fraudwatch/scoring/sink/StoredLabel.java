package io.fraudwatch.scoring.sink;

import java.io.Serializable;
import java.util.Objects;

/**
 * A label the job stored, as the online learner is told of it.
 *
 * @param firstStored no label of its transaction was stored before ({@link LabelWriter.Written})
 */
public record StoredLabel(LabelRecord label, boolean firstStored) implements Serializable {
  public StoredLabel {
    Objects.requireNonNull(label, "label");
  }
}

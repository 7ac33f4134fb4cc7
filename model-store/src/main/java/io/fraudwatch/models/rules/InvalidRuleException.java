package io.fraudwatch.models.rules;

import io.fraudwatch.models.ModelRefusedException;

/** A rule expression that cannot run on the stream, with Spark's message or ours saying why. */
public final class InvalidRuleException extends ModelRefusedException {
  public InvalidRuleException(String message) {
    super(message);
  }

  public InvalidRuleException(String message, Throwable cause) {
    super(message, cause);
  }
}

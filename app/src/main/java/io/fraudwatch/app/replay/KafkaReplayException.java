package io.fraudwatch.app.replay;

/** Kafka could not take the replay; {@link #reason()} tells the caller what to do about it. */
public final class KafkaReplayException extends RuntimeException {

  public enum Reason {
    /** No answer from the bootstrap servers in time. */
    UNREACHABLE,
    /**
     * A topic the replay writes to does not exist (brokers here do not create topics on first use).
     */
    MISSING_TOPIC,
    /** A record was not delivered; the replay stopped. */
    SEND_FAILED,
    /**
     * The brokers refused the client's credentials or certificate, or denied it access to a topic.
     */
    ACCESS_DENIED
  }

  private final Reason reason;

  public KafkaReplayException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

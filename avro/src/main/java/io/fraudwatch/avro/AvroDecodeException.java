package io.fraudwatch.avro;

/**
 * Bytes that could not be decoded into a contract record. Consumers route the original bytes to a
 * dead-letter topic together with {@link #reason()} and the message, and keep going.
 */
public final class AvroDecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why decoding failed; stable names, used as the dead-letter reason and as a metric label. */
  public enum Reason {
    /** Not Avro single-object encoding: empty, or not starting with the 0xC3 0x01 marker. */
    NOT_SINGLE_OBJECT,
    /**
     * The writer schema's fingerprint is neither the current schema's nor one in the schema
     * history.
     */
    UNKNOWN_SCHEMA,
    /** The bytes end before the header or the record is complete. */
    TRUNCATED,
    /** The body does not decode with the writer schema, or bytes follow the record. */
    CORRUPT
  }

  private final Reason reason;

  public AvroDecodeException(Reason reason, String message) {
    this(reason, message, null);
  }

  public AvroDecodeException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

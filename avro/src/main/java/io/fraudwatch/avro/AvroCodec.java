package io.fraudwatch.avro;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (0xC3 0x01, the writer schema's 8-byte little-endian CRC-64-AVRO
 * fingerprint, the binary body) of one generated contract type. Decodes records written with the
 * current schema or with any version in a {@link SchemaHistory}, into the current class.
 *
 * <p>Encoding is Avro's {@link BinaryMessageEncoder}, so the bytes are exactly what the generated
 * classes' own {@code toByteBuffer()} writes. Decoding reads the header here instead of through
 * {@code BinaryMessageDecoder}: that one decodes the body from a stream, so a corrupt string length
 * makes it allocate up to 2 GiB before failing (an executor-killing OutOfMemoryError on a poison
 * record), it accepts bytes after the record, and its failures are untyped. Here the body is
 * decoded from the array, so Avro checks string, bytes and collection lengths against the bytes
 * left, and every failure is an {@link AvroDecodeException} with a reason.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class AvroCodec<T extends SpecificRecord> {
  static final int HEADER_LENGTH = 10;
  private static final byte MARKER_0 = (byte) 0xC3;
  private static final byte MARKER_1 = (byte) 0x01;

  private static final SchemaHistory BUNDLED = SchemaHistory.bundled();
  public static final AvroCodec<Transaction> TRANSACTION = of(Transaction.class, BUNDLED);
  public static final AvroCodec<Label> LABEL = of(Label.class, BUNDLED);
  public static final AvroCodec<Alert> ALERT = of(Alert.class, BUNDLED);

  private final String typeName;
  private final Schema schema;
  private final long fingerprint;
  private final BinaryMessageEncoder<T> encoder;
  private final Map<Long, SpecificDatumReader<T>> readersByWriterFingerprint;

  private AvroCodec(Class<T> type, SchemaHistory history) {
    SpecificData model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.typeName = schema.getName();
    this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    Map<Long, SpecificDatumReader<T>> readers = new HashMap<>();
    readers.put(fingerprint, new SpecificDatumReader<>(schema, schema, model));
    for (Schema writer : history.versionsOf(schema.getFullName())) {
      List<String> problems =
          SchemaHistory.readProblems(
              schema, writer, typeName + " cannot read a writer schema in its history");
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", problems));
      }
      readers.putIfAbsent(
          SchemaNormalization.parsingFingerprint64(writer),
          new SpecificDatumReader<>(writer, schema, model));
    }
    this.readersByWriterFingerprint = Map.copyOf(readers);
  }

  /**
   * A codec for {@code type} that also decodes the writer schemas {@code history} lists for it.
   *
   * @throws IllegalArgumentException if the current schema cannot read one of those writer schemas
   */
  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type, SchemaHistory history) {
    return new AvroCodec<>(type, history);
  }

  /** The current schema, the one {@link #encode} writes. */
  public Schema schema() {
    return schema;
  }

  /**
   * CRC-64-AVRO fingerprint of the current schema's parsing canonical form, as written in the
   * header.
   */
  public long fingerprint() {
    return fingerprint;
  }

  /**
   * Single-object encoding of {@code record} with the current schema.
   *
   * @throws NullPointerException if a non-nullable field is null (Avro's message names the field)
   */
  public byte[] encode(T record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try {
      encoder.encode(record, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + typeName + " into memory", e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes single-object encoded bytes written with the current schema or one from the history.
   */
  public T decode(byte[] bytes) throws AvroDecodeException {
    if (bytes == null || bytes.length < 2 || bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
      throw new AvroDecodeException(
          AvroDecodeException.Reason.NOT_SINGLE_OBJECT,
          typeName
              + ": not Avro single-object encoding, expected marker C3 01 but got "
              + describeStart(bytes));
    }
    if (bytes.length < HEADER_LENGTH) {
      throw new AvroDecodeException(
          AvroDecodeException.Reason.TRUNCATED,
          typeName
              + ": "
              + bytes.length
              + " bytes, shorter than the "
              + HEADER_LENGTH
              + "-byte single-object header");
    }
    long writerFingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    SpecificDatumReader<T> reader = readersByWriterFingerprint.get(writerFingerprint);
    if (reader == null) {
      throw new AvroDecodeException(
          AvroDecodeException.Reason.UNKNOWN_SCHEMA,
          String.format(
              "%s: unknown writer schema fingerprint %016x (current schema %016x, %d known in all);"
                  + " a producer may use a newer schema that this consumer's schema history lacks",
              typeName, writerFingerprint, fingerprint, readersByWriterFingerprint.size()));
    }
    BinaryDecoder body =
        DecoderFactory.get()
            .binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, null);
    T record;
    try {
      record = reader.read(null, body);
    } catch (EOFException e) {
      throw new AvroDecodeException(
          AvroDecodeException.Reason.TRUNCATED,
          typeName + ": the " + bytes.length + " bytes end inside the record",
          e);
    } catch (IOException | RuntimeException e) {
      // Avro reports malformed input with a variety of runtime exceptions (bad varint, enum or
      // union
      // index out of range, negative length, limits exceeded): all mean the same to a consumer
      throw new AvroDecodeException(
          AvroDecodeException.Reason.CORRUPT,
          typeName
              + ": the body does not decode with writer schema "
              + String.format("%016x", writerFingerprint)
              + ": "
              + e,
          e);
    }
    if (!isAtEnd(body)) {
      throw new AvroDecodeException(
          AvroDecodeException.Reason.CORRUPT,
          typeName + ": bytes follow the record (" + bytes.length + " bytes in all)");
    }
    return record;
  }

  private static boolean isAtEnd(BinaryDecoder inMemory) {
    try {
      return inMemory.isEnd();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check the end of an in-memory buffer", e);
    }
  }

  private static String describeStart(byte[] bytes) {
    if (bytes == null) {
      return "null";
    }
    if (bytes.length == 0) {
      return "no bytes";
    }
    StringBuilder start = new StringBuilder();
    for (int i = 0; i < Math.min(2, bytes.length); i++) {
      start.append(String.format("%02X ", bytes[i]));
    }
    return start.toString().strip() + " (" + bytes.length + " bytes)";
  }
}

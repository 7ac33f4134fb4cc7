package io.fraudwatch.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fraudwatch.avro.AvroDecodeException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AvroCodecTest {

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of(AvroCodec.TRANSACTION, Samples.transaction().build()),
        Arguments.of(AvroCodec.TRANSACTION, Samples.fullTransaction()),
        Arguments.of(AvroCodec.LABEL, Samples.label()),
        Arguments.of(AvroCodec.ALERT, Samples.alert()),
        Arguments.of(
            AvroCodec.ALERT, Alert.newBuilder(Samples.alert()).setReasonCodes(List.of()).build()));
  }

  @ParameterizedTest
  @MethodSource("records")
  <T extends SpecificRecord> void decodesWhatItEncodes(AvroCodec<T> codec, T record)
      throws AvroDecodeException {
    assertThat(codec.decode(codec.encode(record))).isEqualTo(record);
  }

  @ParameterizedTest
  @MethodSource("records")
  <T extends SpecificRecord> void writesTheSingleObjectHeaderWithTheCurrentFingerprint(
      AvroCodec<T> codec, T record) {
    byte[] bytes = codec.encode(record);

    assertThat(Arrays.copyOf(bytes, 2)).containsExactly(0xC3, 0x01);
    assertThat(ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong())
        .isEqualTo(codec.fingerprint());
  }

  @Test
  void interoperatesWithTheGeneratedClassesOwnEncoding() throws Exception {
    Transaction transaction = Samples.fullTransaction();

    assertThat(AvroCodec.TRANSACTION.decode(toArray(transaction.toByteBuffer())))
        .isEqualTo(transaction);
    assertThat(
            Transaction.fromByteBuffer(ByteBuffer.wrap(AvroCodec.TRANSACTION.encode(transaction))))
        .isEqualTo(transaction);
  }

  @Test
  void rejectsAnotherTypesRecordAsAnUnknownSchema() {
    byte[] labelBytes = AvroCodec.LABEL.encode(Samples.label());

    AvroDecodeException e =
        catchThrowableOfType(
            AvroDecodeException.class, () -> AvroCodec.TRANSACTION.decode(labelBytes));

    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA);
    assertThat(e.getMessage())
        .contains("Transaction")
        .contains(String.format("%016x", AvroCodec.LABEL.fingerprint()));
  }

  @Test
  void rejectsAnUnknownFingerprint() {
    byte[] bytes = AvroCodec.TRANSACTION.encode(Samples.fullTransaction());
    bytes[5] ^= 0x40;

    assertThat(reasonFor(AvroCodec.TRANSACTION, bytes)).isEqualTo(Reason.UNKNOWN_SCHEMA);
  }

  @Test
  void rejectsBytesThatAreNotSingleObjectEncoded() {
    byte[] json = "{\"transactionId\":\"tx-1\"}".getBytes(StandardCharsets.UTF_8);
    byte[] wrongVersion = AvroCodec.TRANSACTION.encode(Samples.fullTransaction());
    wrongVersion[1] = 0x02;

    for (byte[] bytes : List.of(new byte[0], new byte[] {(byte) 0xC3}, json, wrongVersion)) {
      assertThat(reasonFor(AvroCodec.TRANSACTION, bytes))
          .as(Arrays.toString(bytes))
          .isEqualTo(Reason.NOT_SINGLE_OBJECT);
    }
    AvroDecodeException nullBytes =
        catchThrowableOfType(AvroDecodeException.class, () -> AvroCodec.TRANSACTION.decode(null));
    assertThat(nullBytes.reason()).isEqualTo(Reason.NOT_SINGLE_OBJECT);
    assertThat(nullBytes.getMessage()).contains("null");
  }

  @ParameterizedTest
  @MethodSource("records")
  <T extends SpecificRecord> void reportsEveryTruncationAsTruncated(AvroCodec<T> codec, T record) {
    byte[] bytes = codec.encode(record);

    IntStream.range(2, bytes.length)
        .forEach(
            length ->
                assertThat(reasonFor(codec, Arrays.copyOf(bytes, length)))
                    .as("first %d of %d bytes", length, bytes.length)
                    .isEqualTo(Reason.TRUNCATED));
  }

  @Test
  void rejectsBytesAfterTheRecord() {
    byte[] bytes = AvroCodec.LABEL.encode(Samples.label());

    AvroDecodeException e =
        catchThrowableOfType(
            AvroDecodeException.class,
            () -> AvroCodec.LABEL.decode(Arrays.copyOf(bytes, bytes.length + 1)));

    assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
    assertThat(e.getMessage()).contains("bytes follow the record");
  }

  @Test
  void rejectsAnEnumIndexOutOfRangeAsCorrupt() {
    byte[] bytes = AvroCodec.LABEL.encode(Samples.label());
    // Label's last field is the LabelSource index, a one-byte zig-zag varint: 3 symbols, index 9
    bytes[bytes.length - 1] = 18;

    assertThat(reasonFor(AvroCodec.LABEL, bytes)).isEqualTo(Reason.CORRUPT);
  }

  @Test
  void failsFastOnAHugeStringLengthInsteadOfAllocatingIt() throws IOException {
    byte[] body =
        body(out -> out.writeLong(Integer.MAX_VALUE - 16L)); // transactionId's length prefix

    assertThat(reasonFor(AvroCodec.TRANSACTION, withHeader(AvroCodec.TRANSACTION, body)))
        .isIn(Reason.TRUNCATED, Reason.CORRUPT);
  }

  @Test
  void failsFastOnAHugeArrayCountInsteadOfAllocatingIt() throws IOException {
    Alert alert = Samples.alert();
    byte[] body =
        body(
            out -> {
              out.writeString(alert.getTransactionId());
              out.writeString(alert.getCustomerId());
              out.writeString(alert.getTerminalId());
              out.writeDouble(alert.getAmount());
              out.writeLong(alert.getEventTime().toEpochMilli());
              out.writeDouble(alert.getScore());
              out.writeDouble(alert.getThreshold());
              out.writeLong(alert.getModelVersion());
              out.writeArrayStart();
              out.setItemCount(
                  1L << 30); // a 4 GiB array of references if preallocated; no items follow
            });

    assertThat(reasonFor(AvroCodec.ALERT, withHeader(AvroCodec.ALERT, body)))
        .isEqualTo(Reason.TRUNCATED);
  }

  @Test
  void reportsRandomBodiesAsTypedErrors() {
    Random random = new Random(20240917L);
    for (AvroCodec<?> codec : List.of(AvroCodec.TRANSACTION, AvroCodec.LABEL, AvroCodec.ALERT)) {
      for (int i = 0; i < 2_000; i++) {
        byte[] body = new byte[random.nextInt(64)];
        random.nextBytes(body);
        byte[] bytes = withHeader(codec, body);

        Throwable failure = catchThrowable(() -> codec.decode(bytes));

        // some random bodies are valid records; anything else must be a typed decode failure
        if (failure != null) {
          assertThat(failure)
              .as("%s body %s", codec.schema().getName(), Arrays.toString(body))
              .isInstanceOf(AvroDecodeException.class);
        }
      }
    }
  }

  @Test
  void reportsRandomBytesAsNotSingleObject() {
    Random random = new Random(7L);
    for (int i = 0; i < 1_000; i++) {
      byte[] bytes = new byte[1 + random.nextInt(64)];
      random.nextBytes(bytes);
      bytes[0] = (byte) (bytes[0] == (byte) 0xC3 ? 0 : bytes[0]);

      assertThat(reasonFor(AvroCodec.TRANSACTION, bytes)).isEqualTo(Reason.NOT_SINGLE_OBJECT);
    }
  }

  private static Reason reasonFor(AvroCodec<?> codec, byte[] bytes) {
    AvroDecodeException e =
        catchThrowableOfType(AvroDecodeException.class, () -> codec.decode(bytes));
    assertThat(e).as("decoding %s must fail", Arrays.toString(bytes)).isNotNull();
    assertThat(e.getMessage()).startsWith(codec.schema().getName() + ": ");
    return e.reason();
  }

  private static byte[] withHeader(AvroCodec<?> codec, byte[] body) {
    return ByteBuffer.allocate(AvroCodec.HEADER_LENGTH + body.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put((byte) 0xC3)
        .put((byte) 0x01)
        .putLong(codec.fingerprint())
        .put(body)
        .array();
  }

  private interface BodyWriter {
    void write(BinaryEncoder out) throws IOException;
  }

  private static byte[] body(BodyWriter writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);
    writer.write(out);
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] toArray(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}

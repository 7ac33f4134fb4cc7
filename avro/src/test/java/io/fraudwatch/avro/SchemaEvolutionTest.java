package io.fraudwatch.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fraudwatch.avro.AvroDecodeException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * Producers and consumers upgrade independently: records written with the Transaction schema before
 * the optional fields (v0) and after one more optional field (v2) must decode with the current
 * class, and readers on those schemas must decode what the current class writes.
 */
class SchemaEvolutionTest {
  private static final SchemaHistory EVOLUTION =
      SchemaHistory.load(
          SchemaEvolutionTest.class.getClassLoader(), "io/fraudwatch/avro/evolution/index.txt");
  private static final Schema V0 =
      EVOLUTION.versionsOf(Transaction.getClassSchema().getFullName()).get(0);
  private static final Schema V2 =
      EVOLUTION.versionsOf(Transaction.getClassSchema().getFullName()).get(1);
  private static final AvroCodec<Transaction> CODEC = AvroCodec.of(Transaction.class, EVOLUTION);

  @Test
  void theHistoryHoldsTheOlderAndTheNewerVersion() {
    assertThat(V0.getFields())
        .extracting(Schema.Field::name)
        .containsExactly("transactionId", "eventTime", "customerId", "terminalId", "amount");
    assertThat(V2.getField("merchantCategoryCode")).isNotNull();
  }

  @Test
  void decodesARecordFromAnOlderWriterWithoutTheOptionalFields() throws Exception {
    byte[] bytes = encode(V0, requiredFields(V0).build());

    Transaction decoded = CODEC.decode(bytes);

    assertThat(decoded).isEqualTo(Samples.transaction().build());
    assertThat(decoded.getChannel()).isNull();
    assertThat(decoded.getCurrency()).isNull();
    assertThat(decoded.getCountry()).isNull();
  }

  @Test
  void reportsAWriterSchemaMissingFromTheHistoryAsUnknown() throws IOException {
    byte[] bytes = encode(V0, requiredFields(V0).build());

    AvroDecodeException e =
        catchThrowableOfType(AvroDecodeException.class, () -> AvroCodec.TRANSACTION.decode(bytes));

    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA);
  }

  @Test
  void anOlderReaderDecodesWhatTheCurrentClassWrites() throws IOException {
    BinaryMessageDecoder<GenericRecord> v0Reader =
        new BinaryMessageDecoder<>(GenericData.get(), V0);
    v0Reader.addSchema(Transaction.getClassSchema());

    GenericRecord decoded =
        v0Reader.decode(AvroCodec.TRANSACTION.encode(Samples.fullTransaction()));

    assertThat(decoded).isEqualTo(requiredFields(V0).build());
  }

  @Test
  void decodesARecordFromANewerWriterThatAddedAnOptionalField() throws Exception {
    GenericRecord newer = optionalFields(V2).set("merchantCategoryCode", "5411").build();

    assertThat(CODEC.decode(encode(V2, newer))).isEqualTo(Samples.fullTransaction());
  }

  @Test
  void aNewerReaderDecodesWhatTheCurrentClassWritesWithTheAddedFieldsDefault() throws IOException {
    BinaryMessageDecoder<GenericRecord> v2Reader =
        new BinaryMessageDecoder<>(GenericData.get(), V2);
    v2Reader.addSchema(Transaction.getClassSchema());

    GenericRecord decoded =
        v2Reader.decode(AvroCodec.TRANSACTION.encode(Samples.fullTransaction()));

    assertThat(decoded).isEqualTo(optionalFields(V2).set("merchantCategoryCode", null).build());
  }

  /**
   * Samples.transaction() as a generic record of {@code schema}; generic data keeps timestamps as
   * longs.
   */
  private static GenericRecordBuilder requiredFields(Schema schema) {
    Transaction sample = Samples.transaction().build();
    return new GenericRecordBuilder(schema)
        .set("transactionId", sample.getTransactionId())
        .set("eventTime", sample.getEventTime().toEpochMilli())
        .set("customerId", sample.getCustomerId())
        .set("terminalId", sample.getTerminalId())
        .set("amount", sample.getAmount());
  }

  /** Samples.fullTransaction() as a generic record of {@code schema}. */
  private static GenericRecordBuilder optionalFields(Schema schema) {
    Transaction sample = Samples.fullTransaction();
    Schema channel = schema.getField("channel").schema().getTypes().get(1);
    return requiredFields(schema)
        .set("channel", new GenericData.EnumSymbol(channel, sample.getChannel().name()))
        .set("currency", sample.getCurrency())
        .set("country", sample.getCountry());
  }

  private static byte[] encode(Schema writer, GenericRecord record) throws IOException {
    ByteBuffer buffer =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(record);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}

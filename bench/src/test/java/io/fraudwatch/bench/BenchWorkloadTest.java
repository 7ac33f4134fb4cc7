package io.fraudwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.avro.Transaction;
import io.fraudwatch.avro.TransactionValidation;
import io.fraudwatch.features.handbook.HandbookRow;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchWorkloadTest {
  private final BenchWorkload w = new BenchWorkload(100, 50, 3, 1_000, 7);

  @Test
  void theStreamIsAPureFunctionOfSeedAndPosition() {
    BenchWorkload again = new BenchWorkload(100, 50, 3, 1_000, 7);
    for (long n = 0; n < 1_000; n += 97) {
      assertThat(again.transaction(n)).isEqualTo(w.transaction(n));
    }
    assertThat(new BenchWorkload(100, 50, 3, 1_000, 8).transaction(5))
        .isNotEqualTo(w.transaction(5));
  }

  @Test
  void streamedTransactionsAreValidInOrderAndFindTheirPositionBack() {
    Set<String> customers = new HashSet<>();
    for (long n = 0; n < 1_000; n++) {
      Transaction t = w.transaction(n);
      assertThat(TransactionValidation.invalidReason(t)).isEmpty();
      assertThat(t.getEventTime()).isAfterOrEqualTo(BenchWorkload.START).isEqualTo(w.streamTime(n));
      assertThat(w.streamPosition(t.getTransactionId())).isEqualTo(n);
      customers.add(t.getCustomerId());
    }
    assertThat(w.streamTime(999)).isBefore(BenchWorkload.START.plus(BenchWorkload.STREAM_SPAN));
    assertThat(customers).hasSizeGreaterThan(90);
    assertThat(w.streamPosition("0")).isEqualTo(-1); // a history id
    assertThat(w.streamPosition("card-1")).isEqualTo(-1);
    assertThat(w.streamPosition(Long.toString(w.historyRows() + 1_000))).isEqualTo(-1);
  }

  @Test
  void historyCoversEveryCustomerBeforeTheStreamWithDistinctIds() {
    List<HandbookRow> rows = w.history(0, 100);
    assertThat(rows).hasSize(300);
    assertThat(rows.stream().map(HandbookRow::customerId).distinct()).hasSize(100);
    assertThat(rows.stream().map(HandbookRow::transactionId).distinct()).hasSize(300);
    assertThat(rows)
        .allSatisfy(
            r -> {
              assertThat(r.eventTime())
                  .isBefore(BenchWorkload.START)
                  .isAfterOrEqualTo(BenchWorkload.START.minus(BenchWorkload.HISTORY_SPAN));
              assertThat(r.transactionId()).isLessThan(w.historyRows());
              assertThat(Integer.parseInt(r.terminalId())).isBetween(0, 49);
            });
    assertThat(w.history(10, 20)).isEqualTo(rows.subList(30, 60));
  }

  @Test
  void refusesAnEmptyWorkload() {
    assertThatThrownBy(() -> new BenchWorkload(0, 1, 1, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

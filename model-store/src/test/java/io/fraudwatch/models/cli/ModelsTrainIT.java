package io.fraudwatch.models.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fraudwatch.config.Cli;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.handbook.HandbookCsv;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.models.ModelKind;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.TestDatabase;
import io.fraudwatch.models.metrics.MetricNames;
import io.fraudwatch.testsupport.HandbookData;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * `models train` on real handbook data, with Spark in local mode, storing into the embedded
 * PostgreSQL.
 */
@ExtendWith(TestDatabase.Extension.class)
class ModelsTrainIT {

  private static final Pattern AUC = Pattern.compile("validation AUC ROC:\\s+(\\d\\.\\d+)");

  private final TestDatabase db;
  private final ModelStore store;

  ModelsTrainIT(TestDatabase db) {
    this.db = db;
    this.store = new ModelStore(db.operator(), HandbookFeatures.SCHEMA);
  }

  private CliRun models(String... args) {
    return CliRun.run(db.env(), HandbookFeatures.SCHEMA, args);
  }

  @Test
  void trainsABatchVersionOnThreeDaysOfCsvAndStoresItsValidationMetrics() {
    CliRun run =
        models(
            "train",
            "--csv",
            HandbookData.file("handbook-raw-2018-07.csv.gz").toString(),
            "--from",
            "2018-07-29",
            "--to",
            "2018-07-31",
            "--validation-days",
            "1",
            "--model",
            "fraud-lr-csv",
            "--actor",
            "trainer");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(Cli.OK);
    assertThat(run.out())
        .contains("computing features of", "fitting logistic regression on", "stored v");
    Matcher printed = AUC.matcher(run.out());
    assertThat(printed.find()).as(run.out()).isTrue();

    ModelVersion v = store.list("fraud-lr-csv").get(0);
    assertThat(v.kind()).isEqualTo(ModelKind.BATCH);
    assertThat(v.content().createdBy()).isEqualTo("trainer");
    assertThat(v.weights()).hasSize(HandbookFeatures.SIZE + 1);
    assertThat(v.threshold()).isStrictlyBetween(0.0, 1.0);
    assertThat(v.content().training().from())
        .isEqualTo(LocalDate.parse("2018-07-29").atStartOfDay(ZoneOffset.UTC).toInstant());
    assertThat(v.content().training().description())
        .contains("handbook-raw-2018-07.csv.gz", "validate 2018-07-31..2018-07-31");
    double auc = v.content().metrics().get(MetricNames.VALIDATION_AUC_ROC);
    assertThat(auc).isGreaterThan(0.7);
    assertThat(Double.parseDouble(printed.group(1))).isCloseTo(auc, within(1e-4));
    assertThat(v.content().metrics().get(MetricNames.VALIDATION_FRAUDS)).isPositive();
    assertThat(v.content().metrics()).containsKey(MetricNames.VALIDATION_AVERAGE_PRECISION);

    assertThat(models("show", v.label()).out()).contains("TERMINAL_ID_RISK", "validation.auc_roc");
  }

  @Test
  void trainsFromTheScoredTransactionsAndLabelsInTheDatabase() throws Exception {
    List<HandbookRow> rows =
        new HandbookCsv()
            .readAll(
                List.of(HandbookData.file("handbook-raw-2018-07.csv.gz")),
                HandbookCsv.onDates(LocalDate.parse("2018-07-16"), LocalDate.parse("2018-07-31")))
            .rows();
    insertScoredAndLabelled(rows);

    CliRun run =
        models(
            "train",
            "--from-database",
            "--from",
            "2018-07-29",
            "--to",
            "2018-07-31",
            "--validation-days",
            "1",
            "--model",
            "fraud-lr-db");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(Cli.OK);
    ModelVersion v = store.list("fraud-lr-db").get(0);
    assertThat(v.content().training().description())
        .contains("database fraudwatch.scored_transactions");
    assertThat(v.content().metrics().get(MetricNames.VALIDATION_AUC_ROC)).isGreaterThan(0.7);
  }

  @Test
  void refusesBadInvocationsWithTheRightExitCode() {
    assertThat(models("train", "--from", "2018-07-29", "--to", "2018-07-31").exitCode())
        .isEqualTo(Cli.USAGE);
    assertThat(
            models(
                    "train",
                    "--csv",
                    HandbookData.file("handbook-raw-2018-07.csv.gz").toString(),
                    "--from-database",
                    "--from",
                    "2018-07-29",
                    "--to",
                    "2018-07-31")
                .exitCode())
        .isEqualTo(Cli.USAGE);
    CliRun tooShort =
        models(
            "train",
            "--csv",
            HandbookData.file("handbook-raw-2018-07.csv.gz").toString(),
            "--from",
            "2018-07-31",
            "--to",
            "2018-07-31");
    assertThat(tooShort.exitCode()).isEqualTo(Cli.USAGE);
    assertThat(tooShort.err()).contains("leaves no training day");
    CliRun negativeDelay =
        models(
            "train",
            "--csv",
            HandbookData.file("handbook-raw-2018-07.csv.gz").toString(),
            "--label-delay-days",
            "-1",
            "--from",
            "2018-07-29",
            "--to",
            "2018-07-31");
    assertThat(negativeDelay.exitCode()).isEqualTo(Cli.USAGE);
    assertThat(negativeDelay.err()).contains("--label-delay-days must be positive, got -1");
    CliRun missing =
        models("train", "--csv", "no-such.csv.gz", "--from", "2018-07-29", "--to", "2018-07-31");
    assertThat(missing.exitCode()).isEqualTo(Cli.NOT_FOUND);
    assertThat(missing.err()).contains("no-such.csv.gz does not exist");
  }

  @Test
  void aTruncatedGzipIsRefusedAsABadFile(@TempDir Path dir) throws Exception {
    byte[] whole = Files.readAllBytes(HandbookData.file("handbook-raw-2018-07.csv.gz"));
    Path truncated =
        Files.write(dir.resolve("truncated.csv.gz"), Arrays.copyOf(whole, whole.length / 2));

    CliRun run =
        models(
            "train", "--csv", truncated.toString(), "--from", "2018-07-29", "--to", "2018-07-31");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(Cli.REFUSED);
    assertThat(run.err()).contains("cannot read the CSV");
  }

  /**
   * What the scoring job would have written for these transactions, and their labels (by COPY: it
   * is fast).
   */
  private void insertScoredAndLabelled(List<HandbookRow> rows) throws Exception {
    StringBuilder scored = new StringBuilder();
    StringBuilder labels = new StringBuilder();
    for (HandbookRow r : rows) {
      String at = r.eventTime().toString();
      scored
          .append(r.transactionId())
          .append(',')
          .append(at)
          .append(',')
          .append(r.customerId())
          .append(',')
          .append(r.terminalId())
          .append(',')
          .append(String.format(Locale.ROOT, "%.2f", r.amount()))
          .append(",\"{0}\",0,1,false,0,")
          .append(r.transactionId())
          .append(',')
          .append(at)
          .append('\n');
      labels
          .append(r.transactionId())
          .append(',')
          .append(r.fraud())
          .append(',')
          .append(r.eventTime().plus(Duration.ofDays(7)))
          .append(",INVESTIGATOR\n");
    }
    try (Connection c = db.job().getConnection()) {
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      copy.copyIn(
          "COPY fraudwatch.scored_transactions (transaction_id, event_time, customer_id, terminal_id, amount, "
              + "features, score, model_version, alert, kafka_partition, kafka_offset, batch_time) FROM STDIN (FORMAT csv)",
          new StringReader(scored.toString()));
      copy.copyIn(
          "COPY fraudwatch.labels (transaction_id, fraud, known_at, source) FROM STDIN (FORMAT csv)",
          new StringReader(labels.toString()));
    }
  }
}

package io.fraudwatch.app.pipeline;

import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.Slot;
import io.fraudwatch.models.training.BatchTrainer;
import io.fraudwatch.models.training.LabelledHistory;
import io.fraudwatch.models.training.SparkLogisticRegression;
import io.fraudwatch.models.training.TrainingOptions;
import io.fraudwatch.models.training.TrainingWindow;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Gets a fresh system ready to stream, as the demo and the backtest start: a batch model fitted on
 * past labelled transactions, stored and promoted to champion, and those transactions written into
 * the feature history so the first streamed ones see full customer and terminal windows.
 */
public final class Bootstrap {

  /** The stored version and what its fit printed. */
  public record Trained(long versionId, BatchTrainer.Result result) {}

  private Bootstrap() {}

  /** The window's last days held out for validation: a fifth of them, at least one. */
  public static TrainingWindow window(LocalDate from, LocalDate to) {
    long days = to.toEpochDay() - from.toEpochDay() + 1;
    return new TrainingWindow(from, to, (int) Math.max(1, days / 5));
  }

  /**
   * Fits on the window's days of {@code history}, stores the version, promotes it to champion as
   * {@code actor}, and writes all of {@code history}'s rows into the feature history with the
   * options' label delay.
   *
   * @throws IllegalArgumentException when the window cannot be trained on (no rows, or one class
   *     only)
   */
  public static Trained run(
      LabelledHistory history,
      TrainingWindow window,
      TrainingOptions options,
      ModelStore store,
      DataSource db,
      String actor,
      PrintWriter out)
      throws SQLException {
    out.printf(
        "Training the bootstrap model on %s..%s (validation from %s) ...%n",
        window.from(), window.to(), window.validationFrom());
    out.flush();
    BatchTrainer.Result result =
        new BatchTrainer(
                new SparkLogisticRegression(1e-4, 100),
                Clock.systemUTC(),
                line -> {
                  out.println("  " + line);
                  out.flush();
                })
            .train(history, window, options);
    long id = store.save(result.newVersion());
    store.promote(id, Slot.CHAMPION, actor, actor + " bootstrap");
    out.printf(
        "Stored %s (batch, validation AUC %s) and promoted it to champion%n",
        ModelVersion.label(id),
        result.aucRoc().isPresent()
            ? String.format(Locale.ROOT, "%.3f", result.aucRoc().getAsDouble())
            : "undefined");
    HistorySeed.write(db, history.rows(), options.features().labelDelay());
    out.printf(
        "Wrote the %,d bootstrap transactions into the feature history%n", history.rows().size());
    out.flush();
    return new Trained(id, result);
  }
}

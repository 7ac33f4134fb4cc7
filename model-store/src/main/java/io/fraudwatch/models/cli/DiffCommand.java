package io.fraudwatch.models.cli;

import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelDiff;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = "Compare two versions: metrics and weights side by side, largest changes first.")
final class DiffCommand extends StoreCommand {

  @Parameters(
      index = "0",
      paramLabel = "A",
      converter = VersionConverter.class,
      description = "the baseline version")
  long a;

  @Parameters(
      index = "1",
      paramLabel = "B",
      converter = VersionConverter.class,
      description = "the version compared to A")
  long b;

  @Override
  void run(ModelStore store, PrintWriter out) {
    ModelVersion va = store.require(a);
    ModelVersion vb = store.require(b);
    ModelDiff diff = ModelDiff.of(va.content(), vb.content());
    ModelContent ca = va.content();
    ModelContent cb = vb.content();
    new TextTable("", va.label(), vb.label())
        .row("model", ca.modelName(), cb.modelName())
        .row("kind", ca.kind().label(), cb.kind().label())
        .row("created", Format.time(ca.createdAt()), Format.time(cb.createdAt()))
        .row("schema", ca.schema().hash().substring(0, 12), cb.schema().hash().substring(0, 12))
        .row(
            "trained on",
            Format.time(ca.training().from()) + ".." + Format.time(ca.training().to()),
            Format.time(cb.training().from()) + ".." + Format.time(cb.training().to()))
        .row("threshold", Format.number(ca.threshold()), Format.number(cb.threshold()))
        .print(out);
    out.println();
    section(out, "METRIC", va, vb, diff.metrics(), true);
    out.println();
    section(out, "WEIGHT", va, vb, diff.weights(), false);
  }

  private static void section(
      PrintWriter out,
      String what,
      ModelVersion va,
      ModelVersion vb,
      List<ModelDiff.Row> rows,
      boolean metrics) {
    if (rows.isEmpty()) {
      out.println("no " + what.toLowerCase(Locale.ROOT) + "s on either side");
      return;
    }
    TextTable table = new TextTable(what, va.label(), vb.label(), "CHANGE");
    for (ModelDiff.Row r : rows) {
      OptionalDouble change = r.change();
      table.row(
          r.name(),
          metrics ? Format.metric(r.a()) : Format.number(r.a()),
          metrics ? Format.metric(r.b()) : Format.number(r.b()),
          change.isPresent() ? Format.signed(change) : (r.a().isPresent() ? "removed" : "added"));
    }
    table.print(out);
  }
}

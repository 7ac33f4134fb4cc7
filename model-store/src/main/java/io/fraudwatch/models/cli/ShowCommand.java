package io.fraudwatch.models.cli;

import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelDiff;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.TrainingData;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Show one version: metadata, metrics, and its largest weights.")
final class ShowCommand extends StoreCommand {

  @Parameters(
      index = "0",
      paramLabel = "VERSION",
      converter = VersionConverter.class,
      description = "e.g. v12 or 12")
  long version;

  @Option(
      names = "--top",
      defaultValue = "10",
      paramLabel = "N",
      description = "how many weights to show, largest magnitude first (default: ${DEFAULT-VALUE})")
  int top;

  @Override
  void run(ModelStore store, PrintWriter out) {
    ModelVersion v = store.require(version);
    ModelContent c = v.content();
    TrainingData t = c.training();
    TextTable meta =
        new TextTable("FIELD", "VALUE")
            .row("version", v.label())
            .row("model", c.modelName())
            .row("slots", Format.slotsOf(v.id(), store.slots(c.modelName())))
            .row("kind", c.kind().label())
            .row("created", Format.time(c.createdAt()) + " by " + c.createdBy())
            .row("parent", Format.version(v.parentId()))
            .row(
                "features",
                c.schema().size() + " (schema " + c.schema().hash().substring(0, 12) + ")")
            .row("threshold", Format.number(c.threshold()))
            .row("trained on", Format.time(t.from()) + ".." + Format.time(t.to()))
            .row("data", t.description());
    if (!t.kafkaOffsets().isEmpty()) {
      meta.row("kafka offsets", t.kafkaOffsets().toString());
    }
    t.labelWatermark().ifPresent(w -> meta.row("label watermark", Format.time(w)));
    meta.row("checksum", v.checksum());
    meta.print(out);

    out.println();
    if (c.metrics().isEmpty()) {
      out.println("no metrics recorded");
    } else {
      TextTable metrics = new TextTable("METRIC", "VALUE");
      c.metrics().forEach((name, value) -> metrics.row(name, Format.metric(value)));
      metrics.print(out);
    }

    out.println();
    Map<String, Double> weights = ModelDiff.namedWeights(c);
    int shown = Math.min(Math.max(top, 0), weights.size());
    out.println(
        "top "
            + shown
            + " of "
            + weights.size()
            + " weights by magnitude (on standardised features)");
    TextTable table = new TextTable("FEATURE", "WEIGHT");
    weights.entrySet().stream()
        .sorted(
            Comparator.comparingDouble((Map.Entry<String, Double> e) -> Math.abs(e.getValue()))
                .reversed())
        .limit(shown)
        .forEach(e -> table.row(e.getKey(), String.format(Locale.ROOT, "%+.4f", e.getValue())));
    table.print(out);
  }
}

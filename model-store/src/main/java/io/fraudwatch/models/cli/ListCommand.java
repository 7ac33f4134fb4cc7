package io.fraudwatch.models.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.Slot;
import io.fraudwatch.models.metrics.MetricNames;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List every version of a model, oldest first.")
final class ListCommand extends StoreCommand {

  @Option(
      names = "--model",
      defaultValue = ModelContent.DEFAULT_MODEL,
      description = "model name (default: ${DEFAULT-VALUE})")
  String model;

  @Option(names = "--json", description = "print a JSON array instead of a table")
  boolean json;

  @Override
  void run(ModelStore store, PrintWriter out) throws Exception {
    requireKnownModel(store, model);
    List<ModelVersion> versions = store.list(model);
    Map<Slot, Long> slots = store.slots(model);
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ArrayNode array = mapper.createArrayNode();
      for (ModelVersion v : versions) {
        ObjectNode n = array.addObject();
        n.put("version", v.id());
        n.put("label", v.label());
        n.put("model", v.modelName());
        n.put("kind", v.kind().label());
        n.put("createdAt", v.content().createdAt().toString());
        n.put("createdBy", v.content().createdBy());
        v.parentId().ifPresentOrElse(p -> n.put("parent", p), () -> n.putNull("parent"));
        ArrayNode held = n.putArray("slots");
        slots.forEach(
            (slot, id) -> {
              if (id == v.id()) {
                held.add(slot.label());
              }
            });
        n.put("threshold", v.threshold());
        n.put("trainingFrom", v.content().training().from().toString());
        n.put("trainingTo", v.content().training().to().toString());
        ObjectNode metrics = n.putObject("metrics");
        v.content().metrics().forEach(metrics::put);
        n.put("checksum", v.checksum());
      }
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
      return;
    }
    if (versions.isEmpty()) {
      out.println(
          "no versions of model "
              + model
              + " yet (store one with `models train` or `models import`)");
      return;
    }
    TextTable table =
        new TextTable(
            "VERSION",
            "KIND",
            "CREATED",
            "BY",
            "PARENT",
            "SLOT",
            "THRESHOLD",
            "AUC",
            "AVG-PREC",
            "TRAINED ON");
    for (ModelVersion v : versions) {
      ModelContent c = v.content();
      table.row(
          v.label(),
          v.kind().label(),
          Format.time(c.createdAt()),
          c.createdBy(),
          Format.version(v.parentId()),
          Format.slotsOf(v.id(), slots),
          Format.number(c.threshold()),
          Format.metric(c.metrics(), MetricNames.VALIDATION_AUC_ROC),
          Format.metric(c.metrics(), MetricNames.VALIDATION_AVERAGE_PRECISION),
          Format.time(c.training().from()) + ".." + Format.time(c.training().to()));
    }
    table.print(out);
  }
}

package io.fraudwatch.models.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.SlotChange;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "The audit trail of a model's promotions and rollbacks, oldest first.")
final class HistoryCommand extends StoreCommand {

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
    List<SlotChange> events = store.history(model);
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ArrayNode array = mapper.createArrayNode();
      for (SlotChange e : events) {
        ObjectNode n = array.addObject();
        n.put("event", e.eventId());
        n.put("at", e.at().toString());
        n.put("actor", e.actor());
        e.dbUser().ifPresentOrElse(u -> n.put("db_user", u), () -> n.putNull("db_user"));
        n.put("model", e.modelName());
        n.put("slot", e.slot().label());
        n.put("action", e.action().label());
        e.fromVersion().ifPresentOrElse(f -> n.put("from", f), () -> n.putNull("from"));
        n.put("to", e.toVersion());
        n.put("reason", e.reason());
      }
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
      return;
    }
    if (events.isEmpty()) {
      out.println("no promotions or rollbacks of model " + model + " yet");
      return;
    }
    TextTable table =
        new TextTable("EVENT", "AT", "ACTOR", "DB USER", "SLOT", "ACTION", "FROM", "TO", "REASON");
    for (SlotChange e : events) {
      table.row(
          Long.toString(e.eventId()),
          Format.time(e.at()),
          e.actor(),
          e.dbUser().orElse("-"),
          e.slot().label(),
          e.action().label(),
          Format.version(e.fromVersion()),
          ModelVersion.label(e.toVersion()),
          e.reason());
    }
    table.print(out);
  }
}

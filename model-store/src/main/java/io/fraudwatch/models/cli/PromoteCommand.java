package io.fraudwatch.models.cli;

import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.SlotChange;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description =
        "Put a version into a slot of its model (champion scores and alerts; challenger is shadow-scored).")
final class PromoteCommand extends StoreCommand {

  @Parameters(
      index = "0",
      paramLabel = "VERSION",
      converter = VersionConverter.class,
      description = "e.g. v12 or 12")
  long version;

  @Mixin SlotChangeOptions audit;

  @Override
  void run(ModelStore store, PrintWriter out) {
    SlotChange change =
        store.promote(version, audit.slot, actor(audit.actor), reason(audit.reason));
    out.println(describe(change));
  }

  static String describe(SlotChange c) {
    return c.slot().label()
        + " of "
        + c.modelName()
        + ": "
        + Format.version(c.fromVersion())
        + " -> "
        + ModelVersion.label(c.toVersion())
        + " ("
        + c.action().label()
        + " by "
        + c.actor()
        + ", audit event "
        + c.eventId()
        + ")";
  }
}

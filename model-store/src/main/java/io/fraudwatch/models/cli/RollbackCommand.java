package io.fraudwatch.models.cli;

import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelStore;
import java.io.PrintWriter;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Move a slot back to an earlier occupant.",
      "Without --to: the previous one per the audit trail; repeated rollbacks keep",
      "going back."
    })
final class RollbackCommand extends StoreCommand {

  @Option(
      names = "--to",
      paramLabel = "VERSION",
      converter = VersionConverter.class,
      description = "a version that held the slot before (default: the previous one)")
  Long to;

  @Option(
      names = "--model",
      defaultValue = ModelContent.DEFAULT_MODEL,
      description = "model name (default: ${DEFAULT-VALUE})")
  String model;

  @Mixin SlotChangeOptions audit;

  @Override
  void run(ModelStore store, PrintWriter out) {
    OptionalLong target = to == null ? OptionalLong.empty() : OptionalLong.of(to);
    out.println(
        PromoteCommand.describe(
            store.rollback(model, audit.slot, target, actor(audit.actor), reason(audit.reason))));
  }
}

package io.fraudwatch.models.cli;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.SlotChange;
import io.fraudwatch.models.online.WeightsGuard;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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

  @Option(
      names = "--force",
      description =
          "promote a version even when its weights are beyond the bounds the online learner keeps"
              + " to (a weight over 50 in magnitude, a norm over 200: learning.max-abs-weight and"
              + " learning.max-weight-norm by default)")
  boolean force;

  @Override
  void run(ModelStore store, PrintWriter out) {
    if (!force) {
      double[] weights = store.require(version).content().weightArray();
      List<String> problems = WeightsGuard.defaults(weights.length).problems(weights);
      if (!problems.isEmpty()) {
        throw new CommandFailure(
            Cli.REFUSED,
            ModelVersion.label(version)
                + " has weights the online learner would never promote ("
                + String.join("; ", problems)
                + "); nothing changed. Give --force to promote it all the same");
      }
    }
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

package io.fraudwatch.models.cli;

import io.fraudwatch.models.Slot;
import picocli.CommandLine.Option;

/** What promote and rollback both ask for: the slot, and the who and why for the audit trail. */
final class SlotChangeOptions {

  @Option(
      names = "--slot",
      defaultValue = "champion",
      description = "champion or challenger (default: ${DEFAULT-VALUE})")
  Slot slot;

  @Option(
      names = "--reason",
      required = true,
      paramLabel = "TEXT",
      description = "why (recorded in the audit trail)")
  String reason;

  @Option(names = "--actor", paramLabel = "NAME", description = "who (default: $USER)")
  String actor;
}

package io.fraudwatch.migrations;

import java.util.List;
import java.util.Optional;

/**
 * What one {@link Migrations#apply} did.
 *
 * @param schema the schema migrated
 * @param initialVersion the schema version before, empty for an empty schema
 * @param appliedVersions the versions applied by this call, in order; empty when already up to date
 * @param currentVersion the schema version after
 */
public record MigrationReport(
    String schema,
    Optional<String> initialVersion,
    List<String> appliedVersions,
    String currentVersion) {

  public MigrationReport {
    appliedVersions = List.copyOf(appliedVersions);
  }

  public boolean upToDateBefore() {
    return appliedVersions.isEmpty();
  }
}

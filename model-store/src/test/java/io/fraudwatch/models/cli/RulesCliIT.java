package io.fraudwatch.models.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudwatch.config.Cli;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The `rules` commands through Cli.execute against a migrated embedded PostgreSQL. */
@ExtendWith(TestDatabase.Extension.class)
class RulesCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TestDatabase db;

  @TempDir Path dir;

  RulesCliIT(TestDatabase db) {
    this.db = db;
  }

  private CliRun rules(String... args) {
    return CliRun.run(new RulesCommand(db.env(), HandbookFeatures.SCHEMA), args);
  }

  private static CliRun expect(CliRun run, int code) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(code);
    return run;
  }

  @Test
  void aRuleIsAddedCheckedEnabledChangedDisabledAndAudited() throws Exception {
    // a bad rule is refused with Spark's message, and nothing is stored
    CliRun bad = rules("add", "big", "--expr", "amount > ", "--reason", "r", "--actor", "ana");
    expect(bad, Cli.REFUSED);
    assertThat(bad.err()).contains("PARSE_SYNTAX_ERROR");
    expect(rules("add", "big", "--expr", "amont > 1", "--reason", "r"), Cli.REFUSED);
    expect(rules("add", "big", "--expr", "amount + 1", "--reason", "r"), Cli.REFUSED);
    expect(rules("show", "big"), Cli.NOT_FOUND);
    expect(
        rules("add", "big", "--expr", "amount > 1", "--action", "block", "--reason", "r"),
        Cli.USAGE);

    // add, enable, change, enable the change, disable
    assertThat(
            expect(
                    rules(
                        "add",
                        "big",
                        "--expr",
                        "amount > 1000",
                        "--reason",
                        "p1",
                        "--actor",
                        "ana"),
                    Cli.OK)
                .out())
        .contains("stored big v1");
    expect(rules("add", "big", "--expr", "amount > 1000", "--reason", "again"), Cli.REFUSED);
    JsonNode shown = JSON.readTree(expect(rules("show", "big", "--json"), Cli.OK).out());
    assertThat(shown.get("status").asText()).isEqualTo("draft");
    assertThat(expect(rules("enable", "big", "--reason", "go", "--actor", "ana"), Cli.OK).out())
        .contains("enabled big v1");
    expect(rules("enable", "big", "--reason", "again"), Cli.REFUSED);
    expect(
        rules(
            "add",
            "big",
            "--expr",
            "amount > 500 AND score > 0.1",
            "--reason",
            "lower",
            "--actor",
            "bo"),
        Cli.OK);
    assertThat(expect(rules("diff", "big"), Cli.OK).out())
        .contains("~ expression: amount > 1000  ->  amount > 500 AND score > 0.1");
    JsonNode listed = JSON.readTree(expect(rules("list", "--json"), Cli.OK).out());
    assertThat(listed.get(0).get("status").asText()).isEqualTo("active");
    assertThat(listed.get(0).get("version").asInt()).isEqualTo(1);
    assertThat(listed.get(0).get("latest_version").asInt()).isEqualTo(2);
    expect(rules("enable", "big", "--rule-version", "2", "--reason", "lower it"), Cli.OK);
    expect(rules("disable", "big", "--reason", "stop", "--actor", "ana"), Cli.OK);
    expect(rules("disable", "big", "--reason", "stop"), Cli.REFUSED);
    expect(rules("enable", "nope", "--reason", "x"), Cli.NOT_FOUND);
    JsonNode history = JSON.readTree(expect(rules("history", "big", "--json"), Cli.OK).out());
    assertThat(history)
        .extracting(e -> e.get("action").asText() + " v" + e.get("version").asInt())
        .containsExactly("add v1", "enable v1", "add v2", "enable v2", "disable v2");
    assertThat(history.get(4).get("actor").asText()).isEqualTo("ana");
    assertThat(history.get(4).get("db_user").asText()).isNotBlank();

    // export and import: a file enables what it says is active, checked before anything is stored
    Path file = dir.resolve("rules.json");
    Files.writeString(
        file,
        """
        {"rules": [
          {"name": "night", "expression": "tx_during_night = 1 AND amount > 200", "action": "review", "reason": "watch", "status": "active"},
          {"name": "big", "expression": "amount > 500 AND score > 0.1", "action": "alert", "reason": "lower", "status": "active"}
        ]}""");
    Path broken = dir.resolve("broken.json");
    Files.writeString(
        broken,
        """
        {"rules": [{"name": "other", "expression": "rand() > 0.5", "action": "alert", "reason": "x"}]}""");
    expect(rules("import", broken.toString(), "--reason", "try"), Cli.REFUSED);
    expect(rules("show", "other"), Cli.NOT_FOUND);
    assertThat(expect(rules("import", file.toString(), "--reason", "load"), Cli.OK).out())
        .contains("1 new versions, 2 enabled");
    JsonNode exported = JSON.readTree(expect(rules("export"), Cli.OK).out());
    assertThat(exported.get("rules"))
        .extracting(r -> r.get("name").asText() + ":" + r.get("status").asText())
        .contains("big:active", "night:active");
    Path exportFile = dir.resolve("export.json");
    expect(rules("export", "--file", exportFile.toString()), Cli.OK);
    assertThat(JSON.readTree(exportFile.toFile())).isEqualTo(exported);
    assertThat(expect(rules("export", "--file", dir.toString()), Cli.USAGE).err())
        .contains(dir + " is a directory; name the file to write");
    assertThat(
            expect(rules("export", "--file", dir.resolve("no/such.json").toString()), Cli.NOT_FOUND)
                .err())
        .contains("directory " + dir.resolve("no") + " does not exist");
    expect(rules("import", dir.resolve("missing.json").toString(), "--reason", "x"), Cli.NOT_FOUND);
    String missingCsv = dir.resolve("missing.csv").toString();
    assertThat(
            expect(
                    rules(
                        "test",
                        "big",
                        "--csv",
                        missingCsv,
                        "--from",
                        "2018-04-01",
                        "--to",
                        "2018-04-02"),
                    Cli.NOT_FOUND)
                .err())
        .contains("CSV file " + missingCsv + " does not exist or is not readable");
  }
}

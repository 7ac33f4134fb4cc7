package io.fraudwatch.models.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudwatch.config.Cli;
import io.fraudwatch.features.FeatureSchema;
import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelJson;
import io.fraudwatch.models.ModelKind;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.NewModelVersion;
import io.fraudwatch.models.TestDatabase;
import io.fraudwatch.models.TestModels;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every `models` command through Cli.execute against a migrated embedded PostgreSQL. */
@ExtendWith(TestDatabase.Extension.class)
class ModelsCliIT {

  private final TestDatabase db;
  private final ModelStore store;
  private String model;

  ModelsCliIT(TestDatabase db) {
    this.db = db;
    this.store = new ModelStore(db.operator(), TestModels.SCHEMA);
  }

  @BeforeEach
  void modelPerTest(TestInfo test) {
    // versions cannot be deleted: each test works on its own model name
    String method = test.getTestMethod().orElseThrow().getName();
    model = "cli-" + method.substring(0, Math.min(method.length(), 60));
  }

  private CliRun models(String... args) {
    return CliRun.run(db.env(), TestModels.SCHEMA, args);
  }

  private static CliRun expect(CliRun run, int exitCode) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(exitCode);
    return run;
  }

  private static AbstractStringAssert<?> out(CliRun run) {
    return assertThat(expect(run, Cli.OK).out());
  }

  private long save(int n, Map<String, Double> metrics) {
    return save(n, List.of(0.5 + n, -0.2 * n, 1.5, -4.0 - n / 10.0), metrics);
  }

  private long save(int n, List<Double> weights, Map<String, Double> metrics) {
    ModelContent c = TestModels.valid(n);
    return store.save(
        NewModelVersion.of(
            new ModelContent(
                model,
                c.createdAt(),
                c.createdBy(),
                c.kind(),
                c.schema(),
                c.means(),
                c.stds(),
                weights,
                c.threshold(),
                c.training(),
                metrics)));
  }

  private long save(int n) {
    return save(
        n, Map.of("validation.auc_roc", 0.80 + n / 100.0, "validation.average_precision", 0.5));
  }

  @Test
  void aModelTheStoreDoesNotHoldIsRefusedUnlessTheStoreHoldsNoneYet() throws Exception {
    TestDatabase fresh = db.sibling("fresh");
    CliRun onFresh = CliRun.run(fresh.env(), TestModels.SCHEMA, "list", "--model", model);
    assertThat(expect(onFresh, Cli.OK).out()).contains("no versions of model " + model + " yet");
    save(1);

    for (String command : List.of("list", "history")) {
      assertThat(expect(models(command, "--model", model + "-typo"), Cli.NOT_FOUND).err())
          .contains("error: no model " + model + "-typo in the store; its models: ")
          .contains(model);
    }
  }

  @Test
  @Timeout(
      value = 60,
      threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung read ignores interrupts
  void aServerThatAcceptsButNeverAnswersIsGivenUpOnWithAClearError() throws Exception {
    // a listening socket that never answers: PostgreSQL stopped (SIGSTOP) or hung
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Map<String, String> env = new java.util.HashMap<>(db.env());
      env.put("FRAUDWATCH_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/x");

      CliRun run = CliRun.run(env, TestModels.SCHEMA, "list");

      assertThat(expect(run, Cli.FAILURE).err())
          .contains("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:");
    }
  }

  @Test
  void listShowsEveryVersionWithItsSlot() throws Exception {
    long v1 = save(1);
    long v2 = save(2);
    expect(models("promote", "v" + v2, "--reason", "best so far"), Cli.OK);

    CliRun table = models("list", "--model", model);

    out(table)
        .contains("VERSION", "KIND", "SLOT", "AUC")
        .containsPattern(
            "v"
                + v1
                + "\\s+batch\\s+2026-11-25T10:15:31Z\\s+alice\\s+-\\s+-\\s+0\\.5000\\s+0\\.8100\\s+0\\.5000")
        .containsPattern("v" + v2 + "\\s+batch.*champion\\s+0\\.5000\\s+0\\.8200");

    JsonNode json =
        new ObjectMapper()
            .readTree(expect(models("list", "--model", model, "--json"), Cli.OK).out());
    assertThat(json).hasSize(2);
    assertThat(json.get(1).get("version").asLong()).isEqualTo(v2);
    assertThat(json.get(1).get("slots").get(0).asText()).isEqualTo("champion");
    assertThat(json.get(0).get("metrics").get("validation.auc_roc").asDouble()).isEqualTo(0.81);
    assertThat(json.get(0).get("checksum").asText()).isEqualTo(store.require(v1).checksum());
  }

  @Test
  void showPrintsMetadataMetricsAndTheLargestWeightsFirst() {
    long v = save(3);

    CliRun show = models("show", Long.toString(v), "--top", "2");

    out(show)
        .contains(
            "version",
            "v" + v,
            "model",
            model,
            "kind",
            "batch",
            "threshold",
            "0.5000",
            "2018-07-25T00:00:00Z..2018-07-31T23:59:59Z",
            "handbook-raw-2018-07.csv.gz",
            store.require(v).checksum())
        .containsPattern("validation.auc_roc\\s+0\\.8300\\n")
        .containsPattern(
            "top 2 of 4 weights[^\\n]*\\nFEATURE\\s+WEIGHT\\n\\(bias\\)\\s+-4\\.3000\\namount\\s+\\+3\\.5000\\n")
        .doesNotContain("terminal_risk_7d");
  }

  @Test
  void diffListsTheLargestChangesFirst() {
    long a = save(1);
    long b = save(4, Map.of("validation.auc_roc", 0.9, "training.rows", 1000.0));

    CliRun diff = models("diff", "v" + a, "v" + b);

    // amount 1.5 -> 4.5 (+3), night -0.2 -> -0.8 (-0.6), bias -4.1 -> -4.4 (-0.3), terminal_risk_7d
    // unchanged
    out(diff)
        .containsPattern(
            "WEIGHT\\s+v"
                + a
                + "\\s+v"
                + b
                + "\\s+CHANGE\\n"
                + "amount\\s+1\\.5000\\s+4\\.5000\\s+\\+3\\.0000\\n"
                + "night\\s+-0\\.2000\\s+-0\\.8000\\s+-0\\.6000\\n"
                + "\\(bias\\)\\s+-4\\.1000\\s+-4\\.4000\\s+-0\\.3000\\n"
                + "terminal_risk_7d\\s+1\\.5000\\s+1\\.5000\\s+0\\.0000\\n")
        .containsPattern("training.rows\\s+-\\s+1000\\s+added")
        .containsPattern("validation.average_precision\\s+0\\.5000\\s+-\\s+removed")
        .containsPattern("validation.auc_roc\\s+0\\.8100\\s+0\\.9000\\s+\\+0\\.0900");
  }

  @Test
  void promoteNeedsAReasonAndAnExistingVersion() {
    long v = save(5);

    CliRun noReason = expect(models("promote", "v" + v), Cli.USAGE);
    assertThat(noReason.err()).contains("Missing required option: '--reason=TEXT'");
    assertThat(expect(models("promote", "v" + v, "--reason", "  "), Cli.USAGE).err())
        .contains("--reason must not be blank");
    assertThat(expect(models("promote", "v999999", "--reason", "x"), Cli.NOT_FOUND).err())
        .contains("error: model version v999999 does not exist");
    assertThat(expect(models("promote", "latest", "--reason", "x"), Cli.USAGE).err())
        .contains("'latest' is not a model version");
    assertThat(
            expect(models("promote", "v" + v, "--slot", "production", "--reason", "x"), Cli.USAGE)
                .err())
        .contains("--slot");
    assertThat(store.history(model)).isEmpty();

    out(models("promote", "v" + v, "--reason", "first model", "--actor", "alice"))
        .contains("champion of " + model + ": - -> v" + v + " (promote by alice");
    assertThat(expect(models("promote", "v" + v, "--reason", "again"), Cli.REFUSED).err())
        .contains("v" + v + " is already the champion of " + model);
    out(models("promote", "v" + v, "--slot", "challenger", "--reason", "shadow it too"))
        .contains("challenger of " + model + ": - -> v" + v + " (promote by it-operator");
  }

  @Test
  void aVersionWithWeightsTheLearnerWouldNeverPromoteIsRefusedUnlessForced() {
    long v = save(6, List.of(1e6, -0.2, 1.5, -4.0), Map.of());

    assertThat(expect(models("promote", "v" + v, "--reason", "x"), Cli.REFUSED).err())
        .contains(
            "v" + v + " has weights the online learner would never promote",
            "weight 0 is 1.000e+06, beyond ±50.00",
            "Give --force");
    assertThat(store.history(model)).isEmpty();

    out(models("promote", "v" + v, "--reason", "an experiment", "--force"))
        .contains("champion of " + model + ": - -> v" + v);
  }

  @Test
  void aVersionOnAnOldFeatureSchemaIsRefused() {
    FeatureSchema old = new FeatureSchema(List.of("amount", "night"));
    ModelContent c = TestModels.valid();
    long v =
        new ModelStore(db.operator(), old)
            .save(
                NewModelVersion.of(
                    new ModelContent(
                        model,
                        c.createdAt(),
                        "alice",
                        ModelKind.BATCH,
                        old,
                        List.of(50.0, 0.2),
                        List.of(40.0, 0.4),
                        List.of(0.8, 0.3, -4.2),
                        0.5,
                        c.training(),
                        Map.of())));

    assertThat(expect(models("promote", "v" + v, "--reason", "old"), Cli.REFUSED).err())
        .contains("not the current one", "the scoring job cannot use it");
  }

  @Test
  void rollbackReturnsToThePreviousChampionAndHistoryShowsEverything() throws Exception {
    long v1 = save(6);
    long v2 = save(7);
    long v3 = save(8);
    expect(models("promote", "v" + v1, "--reason", "bootstrap", "--actor", "alice"), Cli.OK);
    expect(models("rollback", "--model", model, "--reason", "nothing to go back to"), Cli.REFUSED);
    expect(models("promote", "v" + v2, "--reason", "retrained", "--actor", "bob"), Cli.OK);
    expect(models("promote", "v" + v3, "--reason", "retrained again", "--actor", "bob"), Cli.OK);
    assertThat(expect(models("rollback", "--model", model), Cli.USAGE).err()).contains("--reason");

    out(models(
            "rollback", "--model", model, "--reason", "alert volume doubled", "--actor", "carol"))
        .contains("champion of " + model + ": v" + v3 + " -> v" + v2 + " (rollback by carol");
    out(models("rollback", "--model", model, "--reason", "still bad", "--actor", "carol"))
        .contains(": v" + v2 + " -> v" + v1);
    assertThat(expect(models("rollback", "--model", model, "--reason", "more"), Cli.REFUSED).err())
        .contains("no earlier champion");
    out(models("rollback", "--model", model, "--to", "v" + v3, "--reason", "v3 was fine after all"))
        .contains(": v" + v1 + " -> v" + v3);
    assertThat(store.championVersionId(model)).hasValue(v3);

    CliRun history = models("history", "--model", model);
    String login = TestDatabase.OPERATOR;
    out(history)
        .containsPattern(
            "EVENT\\s+AT\\s+ACTOR\\s+DB USER\\s+SLOT\\s+ACTION\\s+FROM\\s+TO\\s+REASON")
        .containsPattern(
            "alice\\s+" + login + "\\s+champion\\s+promote\\s+-\\s+v" + v1 + "\\s+bootstrap")
        .containsPattern(
            "carol\\s+"
                + login
                + "\\s+champion\\s+rollback\\s+v"
                + v3
                + "\\s+v"
                + v2
                + "\\s+alert volume doubled")
        .containsPattern(
            "it-operator\\s+"
                + login
                + "\\s+champion\\s+rollback\\s+v"
                + v1
                + "\\s+v"
                + v3
                + "\\s+v3 was fine after all");
    JsonNode json =
        new ObjectMapper()
            .readTree(expect(models("history", "--model", model, "--json"), Cli.OK).out());
    assertThat(json).hasSize(6);
    assertThat(json.get(0).get("db_user").asText()).isEqualTo(login);
    assertThat(json.get(0).get("from").isNull()).isTrue();
    assertThat(json.get(5).get("action").asText()).isEqualTo("rollback");
  }

  @Test
  void sqlLookingInputIsPlainData() throws Exception {
    long v = save(9);
    String reason = "'; DROP TABLE fraudwatch.model_versions;--";

    out(models("promote", "v" + v, "--reason", reason));
    assertThat(
            expect(
                    models("list", "--model", "x'; DROP TABLE fraudwatch.model_slots;--"),
                    Cli.NOT_FOUND)
                .err())
        .contains("no model x'; DROP");

    assertThat(store.history(model))
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).isEqualTo(reason));
    out(models("history", "--model", model)).contains(reason);
    assertThat(store.championVersionId(model)).hasValue(v);
  }

  @Test
  void exportAndImportCarryAVersionToAnotherDatabase(@TempDir Path dir) throws Exception {
    long v = save(10);
    Path file = dir.resolve("v" + v + ".json");
    out(models("export", "v" + v, file.toString()))
        .contains("exported v" + v, store.require(v).checksum());
    assertThat(expect(models("export", "v" + v, file.toString()), Cli.REFUSED).err())
        .contains("--force");
    out(models("export", "v" + v, file.toString(), "--force"));
    assertThat(
            expect(models("export", "v424242", dir.resolve("x.json").toString()), Cli.NOT_FOUND)
                .err())
        .contains("v424242 does not exist");

    TestDatabase target = db.sibling("import_target");
    CliRun imported = CliRun.run(target.env(), TestModels.SCHEMA, "import", file.toString());
    out(imported).contains("as v");
    ModelStore targetStore = new ModelStore(target.operator(), TestModels.SCHEMA);
    ModelVersion copy = targetStore.list(model).get(0);
    assertThat(copy.content()).isEqualTo(store.require(v).content());
    assertThat(copy.checksum()).isEqualTo(store.require(v).checksum());
    assertThat(copy.parentId()).isEmpty();

    out(CliRun.run(target.env(), TestModels.SCHEMA, "import", file.toString()))
        .contains("already stored as " + copy.label());
    out(models("import", file.toString())).contains("already stored as v" + v);
    assertThat(
            expect(models("import", dir.resolve("missing.json").toString()), Cli.NOT_FOUND).err())
        .contains("does not exist");
  }

  @Test
  void aWrongPathToExportToOrImportFromIsNamedWithoutAStackTrace(@TempDir Path dir) {
    long v = save(10);

    assertThat(
            expect(
                    models("export", "v" + v, dir.resolve("no-such-dir/v.json").toString()),
                    Cli.NOT_FOUND)
                .err())
        .contains("directory " + dir.resolve("no-such-dir") + " does not exist")
        .doesNotContain("Exception");
    assertThat(expect(models("export", "v" + v, dir.toString()), Cli.USAGE).err())
        .contains("is a directory")
        .doesNotContain("Exception");
    assertThat(expect(models("import", dir.toString()), Cli.USAGE).err())
        .contains("is a directory, not a file written by `models export`")
        .doesNotContain("Exception");
  }

  @Test
  void anImportFileLargerThanTheCapIsRefusedUnreadAndNothingIsWritten(@TempDir Path dir)
      throws Exception {
    long v = save(12);
    Path file = dir.resolve("export.json");
    out(models("export", "v" + v, file.toString()));
    Path huge = dir.resolve("huge.json");
    // a valid export padded with whitespace past the cap: refused for its size, not its content
    Files.writeString(huge, Files.readString(file) + " ".repeat(ImportCommand.MAX_BYTES));
    TestDatabase target = db.sibling("cap_target");

    assertThat(
            expect(
                    CliRun.run(target.env(), TestModels.SCHEMA, "import", huge.toString()),
                    Cli.REFUSED)
                .err())
        .contains("larger than 4 MiB", "nothing imported");
    assertThat(
            expect(CliRun.run(target.env(), TestModels.SCHEMA, "import", "/dev/zero"), Cli.REFUSED)
                .err())
        .contains("larger than 4 MiB");
    assertThat(new ModelStore(target.operator(), TestModels.SCHEMA).list(model)).isEmpty();
  }

  @Test
  void theJobsLoginIsNotTheOperatorsAndAnUnknownLoginIsRefused() {
    Map<String, String> asJob = new java.util.HashMap<>(db.env());
    asJob.remove("FRAUDWATCH_JDBC_OPERATOR_USER");
    asJob.put("FRAUDWATCH_JDBC_USER", TestDatabase.JOB);
    // jdbc.user is the job's login; the CLI logs in as jdbc.operator-user (default: operator),
    // unknown here
    assertThat(expect(CliRun.run(asJob, TestModels.SCHEMA, "list"), Cli.ACCESS_DENIED).err())
        .contains(
            "cannot connect to PostgreSQL", "as operator", "role \"operator\" does not exist");
  }

  @Test
  void aTamperedExportIsRefusedAndNothingIsWritten(@TempDir Path dir) throws Exception {
    long v = save(11);
    Path file = dir.resolve("export.json");
    out(models("export", "v" + v, file.toString()));
    String original = Files.readString(file, StandardCharsets.UTF_8);
    // make the model far more trigger-happy: lower the threshold
    String tampered = original.replace("\"threshold\" : 0.5", "\"threshold\" : 0.05");
    assertThat(tampered).isNotEqualTo(original);
    Path forged = dir.resolve("forged.json");
    Files.writeString(forged, tampered, StandardCharsets.UTF_8);
    TestDatabase target = db.sibling("tamper_target");

    CliRun refused = CliRun.run(target.env(), TestModels.SCHEMA, "import", forged.toString());

    assertThat(expect(refused, Cli.REFUSED).err())
        .contains("checksum mismatch", "edited or damaged");
    assertThat(new ModelStore(target.operator(), TestModels.SCHEMA).list(model)).isEmpty();
    assertThat(ModelJson.parseExport(original)).isEqualTo(store.require(v).content());
  }

  @Test
  void withoutADatabaseTheCliSaysHowToGetOne() {
    CliRun run = CliRun.run(Map.of(), TestModels.SCHEMA, "list");
    assertThat(expect(run, Cli.USAGE).err())
        .contains("no database configured", "bin/fraudwatch dev-env", "FRAUDWATCH_JDBC_URL");
  }

  @Test
  void anUnreachableDatabaseIsAFailureNamingIt() {
    CliRun run =
        CliRun.run(
            Map.of("FRAUDWATCH_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/none"),
            TestModels.SCHEMA,
            "list");
    assertThat(expect(run, Cli.FAILURE).err())
        .contains("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/none");
  }

  @Test
  void showOfAnUnknownVersionIsNotFound() {
    assertThat(expect(models("show", "v777777"), Cli.NOT_FOUND).err())
        .contains("v777777 does not exist");
    assertThat(expect(models("diff", "v777777", "v777778"), Cli.NOT_FOUND).err())
        .contains("v777777 does not exist");
  }
}

package io.fraudwatch.models.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A rule file: {@code {"rules": [{"name", "expression", "action", "reason", "status"}]}}, what
 * {@code rules export} writes and {@code rules import} and {@code backtest --rules} read. Status
 * {@code active} means "enable it"; other statuses only store the version.
 */
public final class RuleFile {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private static final List<String> TOP_FIELDS = List.of("rules");
  private static final List<String> RULE_FIELDS =
      List.of("name", "expression", "action", "reason", "status");

  private RuleFile() {}

  /** One rule of a file. */
  public record Entry(
      String name, String expression, RuleAction action, String reason, boolean active) {}

  /** What an import did. */
  public record Outcome(int added, int enabled) {}

  /**
   * @throws IllegalArgumentException when {@code json} is not a rule file
   */
  public static List<Entry> read(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
    JsonNode rules = root == null ? null : root.get("rules");
    if (rules == null || !rules.isArray()) {
      throw new IllegalArgumentException("expected an object with a \"rules\" array");
    }
    unknownFields(root, TOP_FIELDS, "the file");
    List<Entry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode r : rules) {
      String name = text(r, "name", null);
      unknownFields(r, RULE_FIELDS, "rule " + name);
      if (!names.add(name)) {
        throw new IllegalArgumentException("rule " + name + " is in the file twice");
      }
      entries.add(
          new Entry(
              name,
              text(r, "expression", name),
              RuleAction.of(text(r, "action", name)),
              text(r, "reason", name),
              status(r, name) == RuleStatus.ACTIVE));
    }
    return entries;
  }

  /**
   * Refuses a field the format does not have: a misspelt {@code status} would otherwise leave the
   * rule active, which is what an absent one means.
   */
  private static void unknownFields(JsonNode node, List<String> known, String what) {
    for (String field : (Iterable<String>) node::fieldNames) {
      if (!known.contains(field)) {
        throw new IllegalArgumentException(
            what + " has an unknown field \"" + field + "\"; the fields are " + known);
      }
    }
  }

  /** The rule's status, {@code active} when absent; anything but a status's label is refused. */
  private static RuleStatus status(JsonNode rule, String name) {
    JsonNode v = rule.get("status");
    if (v == null) {
      return RuleStatus.ACTIVE;
    }
    for (RuleStatus s : RuleStatus.values()) {
      if (v.isTextual() && s.label().equals(v.asText())) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "rule "
            + name
            + " has the status "
            + v
            + "; a status is one of "
            + Arrays.stream(RuleStatus.values()).map(RuleStatus::label).toList());
  }

  private static String text(JsonNode rule, String field, String name) {
    JsonNode v = rule.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(
          (name == null ? "a rule" : "rule " + name) + " has no \"" + field + "\"");
    }
    return v.asText();
  }

  /**
   * Stores what differs from each rule's newest version and enables the active ones. Every
   * expression is checked before anything is stored, so a bad file changes nothing.
   */
  public static Outcome apply(
      RuleStore store, List<Entry> entries, String actor, String reason, Consumer<String> check) {
    for (Entry e : entries) {
      try {
        check.accept(e.expression());
      } catch (InvalidRuleException ex) {
        throw new InvalidRuleException("rule " + e.name() + ": " + ex.getMessage(), ex);
      }
    }
    int added = 0;
    int enabled = 0;
    for (Entry e : entries) {
      Optional<RuleState> state =
          store.list().stream().filter(s -> s.latest().name().equals(e.name())).findFirst();
      RuleVersion wanted =
          new RuleVersion(0, e.name(), 0, e.expression(), e.action(), actor, e.reason(), null);
      RuleVersion latest;
      if (state.isPresent() && state.get().latest().sameContent(wanted)) {
        latest = state.get().latest();
      } else {
        latest = store.add(e.name(), e.expression(), e.action(), actor, e.reason(), check);
        added++;
      }
      if (e.active()) {
        RuleState now = store.state(e.name());
        if (now.statusOf(latest) != RuleStatus.ACTIVE) {
          store.enable(e.name(), OptionalInt.of(latest.version()), actor, reason, check);
          enabled++;
        }
      }
    }
    return new Outcome(added, enabled);
  }

  /** The rules as a file: the version in force, else the newest, with the rule's status. */
  public static ObjectNode export(List<RuleState> rules) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode array = root.putArray("rules");
    for (RuleState r : rules) {
      RuleVersion v = r.enabled().orElse(r.latest());
      ObjectNode n = array.addObject();
      n.put("name", v.name());
      n.put("expression", v.expression());
      n.put("action", v.action().label());
      n.put("reason", v.reason());
      n.put("status", r.status().label());
    }
    return root;
  }

  public static ObjectNode stateNode(RuleState r) {
    ObjectNode n = versionNode(r.enabled().orElse(r.latest()), Optional.of(r.status()));
    n.put("latest_version", r.latest().version());
    return n;
  }

  public static ObjectNode versionNode(RuleVersion v, Optional<RuleStatus> status) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("name", v.name());
    n.put("version", v.version());
    n.put("id", v.id());
    n.put("expression", v.expression());
    n.put("action", v.action().label());
    n.put("author", v.author());
    n.put("reason", v.reason());
    n.put("created_at", v.createdAt().toString());
    status.ifPresent(s -> n.put("status", s.label()));
    return n;
  }

  public static String json(JsonNode node) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

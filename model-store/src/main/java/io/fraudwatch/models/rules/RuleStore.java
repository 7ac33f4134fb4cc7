package io.fraudwatch.models.rules;

import io.fraudwatch.models.ModelNotFoundException;
import io.fraudwatch.models.ModelRefusedException;
import io.fraudwatch.models.StoreTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Rules in PostgreSQL (migration V50), kept as model versions are: a version, once stored, never
 * changes (a change is a new version); enabling and disabling move a per-rule pointer; every change
 * appends to an audit trail (who, when, why, and the database login). Writers lock the rule's row,
 * so concurrent operators serialise.
 *
 * <p>A rule is checked ({@code check}, normally {@link RuleCompiler#check}) before a version is
 * stored and again before it is enabled; a refused rule changes nothing.
 */
public final class RuleStore {
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private static final String VERSION_COLUMNS =
      "v.id, v.rule_name, v.version, v.expression, v.action, v.author, v.reason, v.created_at";

  private final DataSource dataSource;

  public RuleStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * Stores a new version of {@code name} (its first when the rule is new), as a draft: it runs only
   * once enabled.
   *
   * @throws InvalidRuleException when {@code check} refuses the expression
   * @throws ModelRefusedException when the name is not valid or the newest version says the same
   */
  public RuleVersion add(
      String name,
      String expression,
      RuleAction action,
      String author,
      String reason,
      Consumer<String> check) {
    requireName(name);
    requireText("author", author);
    requireText("reason", reason);
    check.accept(expression);
    return StoreTransactions.inTransaction(
        dataSource,
        "adding a version of rule " + name,
        conn -> {
          try (PreparedStatement ps =
              conn.prepareStatement(
                  "INSERT INTO fraudwatch.rules (name) VALUES (?) ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, name);
            ps.executeUpdate();
          }
          lockRule(conn, name);
          Optional<RuleVersion> latest = latest(conn, name);
          RuleVersion wanted =
              new RuleVersion(
                  0,
                  name,
                  latest.map(v -> v.version() + 1).orElse(1),
                  expression.strip(),
                  action,
                  author,
                  reason,
                  Instant.now());
          if (latest.isPresent() && latest.get().sameContent(wanted)) {
            throw new ModelRefusedException(
                latest.get().label() + " already says this; nothing stored");
          }
          long id;
          try (PreparedStatement ps =
              conn.prepareStatement(
                  "INSERT INTO fraudwatch.rule_versions (rule_name, version, expression, action,"
                      + " author, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            ps.setString(1, name);
            ps.setInt(2, wanted.version());
            ps.setString(3, wanted.expression());
            ps.setString(4, action.label());
            ps.setString(5, author);
            ps.setString(6, reason);
            ps.setTimestamp(7, Timestamp.from(wanted.createdAt()));
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              id = rs.getLong(1);
            }
          }
          RuleVersion stored =
              new RuleVersion(
                  id,
                  name,
                  wanted.version(),
                  wanted.expression(),
                  action,
                  author,
                  reason,
                  wanted.createdAt());
          event(conn, stored, RuleEvent.Action.ADD, author, reason);
          return stored;
        });
  }

  /** Every rule, by name, with its status. */
  public List<RuleState> list() {
    return StoreTransactions.read(
        dataSource,
        "listing rules",
        conn -> {
          Map<String, RuleVersion> latest = new LinkedHashMap<>();
          try (PreparedStatement ps =
                  conn.prepareStatement(
                      "SELECT DISTINCT ON (v.rule_name) "
                          + VERSION_COLUMNS
                          + " FROM fraudwatch.rule_versions v ORDER BY v.rule_name, v.version DESC");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              RuleVersion v = version(rs);
              latest.put(v.name(), v);
            }
          }
          List<RuleState> states = new ArrayList<>();
          for (RuleVersion v : latest.values()) {
            states.add(state(conn, v));
          }
          return states;
        });
  }

  /** The rule's state. */
  public RuleState state(String name) {
    return StoreTransactions.read(
        dataSource, "reading rule " + name, conn -> state(conn, requireLatest(conn, name)));
  }

  /** Every version of the rule, oldest first. */
  public List<RuleVersion> versions(String name) {
    return StoreTransactions.read(
        dataSource,
        "reading rule " + name,
        conn -> {
          List<RuleVersion> versions =
              query(
                  conn,
                  "SELECT "
                      + VERSION_COLUMNS
                      + " FROM fraudwatch.rule_versions v WHERE v.rule_name = ? ORDER BY v.version",
                  name);
          if (versions.isEmpty()) {
            throw notFound(name);
          }
          return versions;
        });
  }

  /**
   * A version of the rule, its newest when {@code version} is empty.
   *
   * @throws ModelNotFoundException when there is no such rule or version
   */
  public RuleVersion require(String name, OptionalInt version) {
    List<RuleVersion> versions = versions(name);
    if (version.isEmpty()) {
      return versions.get(versions.size() - 1);
    }
    return versions.stream()
        .filter(v -> v.version() == version.getAsInt())
        .findFirst()
        .orElseThrow(
            () ->
                new ModelNotFoundException(
                    "rule " + name + " has no version " + version.getAsInt()));
  }

  /**
   * Makes a version of the rule the active one (its newest when {@code version} is empty), from the
   * job's next batch on.
   *
   * @throws InvalidRuleException when {@code check} refuses it now
   * @throws ModelRefusedException when that version is active already
   */
  public RuleEvent enable(
      String name, OptionalInt version, String actor, String reason, Consumer<String> check) {
    requireText("actor", actor);
    requireText("reason", reason);
    RuleVersion target = require(name, version);
    check.accept(target.expression());
    return StoreTransactions.inTransaction(
        dataSource,
        "enabling " + target.label(),
        conn -> {
          lockRule(conn, name);
          RuleState state = state(conn, requireLatest(conn, name));
          if (state.statusOf(target) == RuleStatus.ACTIVE) {
            throw new ModelRefusedException(target.label() + " is active already");
          }
          setSlot(conn, target, RuleStatus.ACTIVE);
          return event(conn, target, RuleEvent.Action.ENABLE, actor, reason);
        });
  }

  /**
   * Stops the rule from the job's next batch on.
   *
   * @throws ModelRefusedException when it is not active
   */
  public RuleEvent disable(String name, String actor, String reason) {
    requireText("actor", actor);
    requireText("reason", reason);
    return StoreTransactions.inTransaction(
        dataSource,
        "disabling rule " + name,
        conn -> {
          RuleVersion latest = requireLatest(conn, name);
          lockRule(conn, name);
          RuleState state = state(conn, latest);
          if (state.status() != RuleStatus.ACTIVE) {
            throw new ModelRefusedException(
                "rule " + name + " is " + state.status().label() + ", not active");
          }
          RuleVersion enabled = state.enabled().orElseThrow();
          setSlot(conn, enabled, RuleStatus.DISABLED);
          return event(conn, enabled, RuleEvent.Action.DISABLE, actor, reason);
        });
  }

  /** The audit trail, oldest first: of one rule, or of all when {@code name} is empty. */
  public List<RuleEvent> history(Optional<String> name) {
    return StoreTransactions.read(
        dataSource,
        "reading the rules' audit trail",
        conn -> {
          try (PreparedStatement ps =
              conn.prepareStatement(
                  "SELECT e.id, e.rule_name, e.version_id, v.version, e.action, e.actor,"
                      + " e.db_user, e.occurred_at, e.reason FROM fraudwatch.rule_events e"
                      + " JOIN fraudwatch.rule_versions v ON v.id = e.version_id"
                      + " WHERE ?::text IS NULL OR e.rule_name = ? ORDER BY e.id")) {
            ps.setString(1, name.orElse(null));
            ps.setString(2, name.orElse(null));
            List<RuleEvent> events = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                events.add(
                    new RuleEvent(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getInt(4),
                        RuleEvent.Action.of(rs.getString(5)),
                        rs.getString(6),
                        Optional.ofNullable(rs.getString(7)),
                        rs.getTimestamp(8).toInstant(),
                        rs.getString(9)));
              }
            }
            if (events.isEmpty() && name.isPresent()) {
              throw notFound(name.get());
            }
            return events;
          }
        });
  }

  /**
   * The id of the rule set in force: the newest enable or disable event (0 when there was none).
   * One cheap query: the job asks once per batch and reads the rules only when it changed.
   */
  public long ruleSetId() {
    return StoreTransactions.read(
        dataSource,
        "reading the rule set id",
        conn -> {
          try (PreparedStatement ps = conn.prepareStatement(RULE_SET_ID);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private static final String RULE_SET_ID =
      "SELECT coalesce(max(id), 0) FROM fraudwatch.rule_events WHERE action <> 'add'";

  /** The rule set in force and its id, read in one snapshot; the rules by name. */
  public record ActiveRules(long id, List<RuleVersion> rules) {}

  public ActiveRules active() {
    return StoreTransactions.read(
        dataSource,
        "reading the active rules",
        conn -> {
          try (PreparedStatement ps =
              conn.prepareStatement(
                  "SELECT ("
                      + RULE_SET_ID
                      + "), "
                      + VERSION_COLUMNS
                      + " FROM (SELECT 1) AS one LEFT JOIN (fraudwatch.rule_slots s"
                      + " JOIN fraudwatch.rule_versions v ON v.id = s.version_id AND s.status = 'active')"
                      + " ON true ORDER BY v.rule_name")) {
            long id = 0;
            List<RuleVersion> rules = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                id = rs.getLong(1);
                rs.getLong(2);
                if (!rs.wasNull()) {
                  rules.add(version(rs, 2));
                }
              }
            }
            return new ActiveRules(id, rules);
          }
        });
  }

  private static RuleState state(Connection conn, RuleVersion latest) throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT s.status, "
                + VERSION_COLUMNS
                + " FROM fraudwatch.rule_slots s JOIN fraudwatch.rule_versions v ON v.id = s.version_id"
                + " WHERE s.rule_name = ?")) {
      ps.setString(1, latest.name());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return new RuleState(latest, RuleStatus.DRAFT, Optional.empty());
        }
        RuleStatus status =
            "active".equals(rs.getString(1)) ? RuleStatus.ACTIVE : RuleStatus.DISABLED;
        return new RuleState(latest, status, Optional.of(version(rs, 2)));
      }
    }
  }

  private static void setSlot(Connection conn, RuleVersion v, RuleStatus status)
      throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(
            "INSERT INTO fraudwatch.rule_slots (rule_name, version_id, status, changed_at)"
                + " VALUES (?, ?, ?, now()) ON CONFLICT (rule_name) DO UPDATE"
                + " SET version_id = excluded.version_id, status = excluded.status,"
                + " changed_at = excluded.changed_at")) {
      ps.setString(1, v.name());
      ps.setLong(2, v.id());
      ps.setString(3, status.label());
      ps.executeUpdate();
    }
  }

  private static RuleEvent event(
      Connection conn, RuleVersion v, RuleEvent.Action action, String actor, String reason)
      throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(
            "INSERT INTO fraudwatch.rule_events (rule_name, version_id, action, actor, occurred_at,"
                + " reason) VALUES (?, ?, ?, ?, now(), ?) RETURNING id, occurred_at, db_user")) {
      ps.setString(1, v.name());
      ps.setLong(2, v.id());
      ps.setString(3, action.label());
      ps.setString(4, actor);
      ps.setString(5, reason);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new RuleEvent(
            rs.getLong(1),
            v.name(),
            v.id(),
            v.version(),
            action,
            actor,
            Optional.ofNullable(rs.getString(3)),
            rs.getTimestamp(2).toInstant(),
            reason);
      }
    }
  }

  private static void lockRule(Connection conn, String name) throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement("SELECT name FROM fraudwatch.rules WHERE name = ? FOR UPDATE")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw notFound(name);
        }
      }
    }
  }

  private static Optional<RuleVersion> latest(Connection conn, String name) throws SQLException {
    List<RuleVersion> found =
        query(
            conn,
            "SELECT "
                + VERSION_COLUMNS
                + " FROM fraudwatch.rule_versions v WHERE v.rule_name = ?"
                + " ORDER BY v.version DESC LIMIT 1",
            name);
    return found.stream().findFirst();
  }

  private static RuleVersion requireLatest(Connection conn, String name) throws SQLException {
    return latest(conn, name).orElseThrow(() -> notFound(name));
  }

  private static List<RuleVersion> query(Connection conn, String sql, String name)
      throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setString(1, name);
      List<RuleVersion> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(version(rs));
        }
      }
      return out;
    }
  }

  private static RuleVersion version(ResultSet rs) throws SQLException {
    return version(rs, 1);
  }

  private static RuleVersion version(ResultSet rs, int first) throws SQLException {
    return new RuleVersion(
        rs.getLong(first),
        rs.getString(first + 1),
        rs.getInt(first + 2),
        rs.getString(first + 3),
        RuleAction.of(rs.getString(first + 4)),
        rs.getString(first + 5),
        rs.getString(first + 6),
        rs.getTimestamp(first + 7).toInstant());
  }

  private static ModelNotFoundException notFound(String name) {
    return new ModelNotFoundException("no rule named " + name);
  }

  private static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ModelRefusedException(
          "rule name '"
              + name
              + "' is not valid: letters, digits, '.', '_' and '-', at most 64, starting with a"
              + " letter or digit");
    }
  }

  private static void requireText(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is required and must not be blank");
    }
  }
}

package io.fraudwatch.app.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudwatch.app.dashboard.DashboardViews.AlertRateJump;
import io.fraudwatch.app.dashboard.DashboardViews.AlertRateJumps;
import io.fraudwatch.app.dashboard.DashboardViews.Alerts;
import io.fraudwatch.app.dashboard.DashboardViews.DeadLetterReason;
import io.fraudwatch.app.dashboard.DashboardViews.DeadLetters;
import io.fraudwatch.app.dashboard.DashboardViews.Drift;
import io.fraudwatch.app.dashboard.DashboardViews.DriftLatest;
import io.fraudwatch.app.dashboard.DashboardViews.DriftSeries;
import io.fraudwatch.app.dashboard.DashboardViews.Models;
import io.fraudwatch.app.dashboard.DashboardViews.Overview;
import io.fraudwatch.app.dashboard.DashboardViews.Quality;
import io.fraudwatch.app.dashboard.DashboardViews.SlotEvent;
import io.fraudwatch.app.dashboard.DashboardViews.Throughput;
import io.fraudwatch.models.metrics.CardPrecision;
import io.fraudwatch.models.metrics.LiveCardPrecision;
import io.fraudwatch.models.metrics.MetricNames;
import io.fraudwatch.models.metrics.ScoredOutcome;
import io.fraudwatch.scoring.job.DriftConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The dashboard's reads, as the read-only analyst login, one method per panel. Batch panels cover
 * the last {@code dashboard.hours} of the job's batches (up to its latest batch, so a stopped job
 * still shows its last run); event-time panels cover the last {@code dashboard.days} UTC days up to
 * the latest event time known (the latest alert or measured drift hour), so a replay of past data
 * shows its own days.
 */
public final class DashboardData {
  /** Terminals listed in the alert-rate jumps panel. */
  static final int ALERT_RATE_JUMPS = 15;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** At most this many points on a batch chart. */
  private static final int MAX_POINTS = 300;

  private static final int DRIFT_SERIES = 5;
  private static final int MAX_EVENTS = 200;
  private static final int MAX_VERSIONS = 500;

  /**
   * Fraud labels known this long before the shown days still take their card out of card
   * precision's pool.
   */
  private static final Duration KNOWN_FRAUD_LOOKBACK = Duration.ofDays(30);

  private static final Duration JOB_RECHECK = Duration.ofSeconds(60);

  private final DataSource db;
  private final DashboardConfig config;
  private final String model;
  private final DriftConfig drift;
  private final Clock clock;
  private String job;
  private Instant jobResolvedAt = Instant.MIN;
  private Map<Long, Double> cardPrecision = Map.of();
  private LocalDate cardPrecisionFrom;
  private Instant cardPrecisionAt = Instant.MIN;

  public DashboardData(
      DataSource db, DashboardConfig config, String model, DriftConfig drift, Clock clock) {
    this.db = db;
    this.config = config;
    this.model = model;
    this.drift = drift;
    this.clock = clock;
  }

  @FunctionalInterface
  private interface Rows {
    void row(ResultSet rs) throws SQLException;
  }

  private void query(String sql, List<Object> params, Rows rows) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) {
        Object p = params.get(i);
        ps.setObject(i + 1, p instanceof Instant t ? t.atOffset(ZoneOffset.UTC) : p);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.row(rs);
        }
      }
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static Long epoch(Instant t) {
    return t == null ? null : t.getEpochSecond();
  }

  private static Double nullable(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  /**
   * The job shown: the configured one, or the one that recorded the latest batch (looked up once a
   * minute).
   */
  synchronized Optional<String> job() throws SQLException {
    if (config.job().isPresent()) {
      return config.job();
    }
    Instant now = clock.instant();
    if (job == null || now.isAfter(jobResolvedAt.plus(JOB_RECHECK))) {
      List<String> found = new ArrayList<>();
      query(
          "SELECT job_name FROM fraudwatch.batch_metrics ORDER BY batch_time DESC LIMIT 1",
          List.of(),
          rs -> found.add(rs.getString(1)));
      job = found.isEmpty() ? null : found.get(0);
      jobResolvedAt = now;
    }
    return Optional.ofNullable(job);
  }

  private Optional<Instant> latestBatch(String jobName) throws SQLException {
    List<Instant> t = new ArrayList<>();
    query(
        "SELECT max(batch_time) FROM fraudwatch.batch_metrics WHERE job_name = ?",
        List.of(jobName),
        rs -> t.add(instant(rs, 1)));
    return Optional.ofNullable(t.get(0));
  }

  /** The latest event time known: the latest alert or the end of the latest measured drift hour. */
  Optional<Instant> eventTime() throws SQLException {
    List<Instant> t = new ArrayList<>();
    query(
        "SELECT greatest((SELECT max(event_time) FROM fraudwatch.alerts),"
            + " (SELECT max(hour) + interval '1 hour' FROM fraudwatch.drift))",
        List.of(),
        rs -> t.add(instant(rs, 1)));
    if (t.get(0) == null) {
      // no alert and no drift yet: a young or tiny installation, where this scan is cheap
      query(
          "SELECT max(event_time) FROM fraudwatch.scored_transactions",
          List.of(),
          rs -> t.set(0, instant(rs, 1)));
    }
    return Optional.ofNullable(t.get(0));
  }

  /** The first UTC day shown when the latest event time is {@code latest}. */
  private LocalDate firstDay(Instant latest) {
    return LocalDate.ofInstant(latest, ZoneOffset.UTC).minusDays(config.days() - 1L);
  }

  private static Instant start(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  public Overview overview() throws SQLException {
    Optional<String> jobName = job();
    Long latest = null;
    double eps = 0;
    long batches = 0;
    Long processing = null;
    Long delay = null;
    long deadLetters = 0;
    if (jobName.isPresent()) {
      Optional<Instant> last = latestBatch(jobName.get());
      if (last.isPresent()) {
        latest = last.get().getEpochSecond();
        Instant from = last.get().minus(Duration.ofHours(config.hours()));
        long[] sums = new long[4];
        Instant[] span = new Instant[2];
        query(
            // dead letters of both topics, as the dead-letter panel counts them
            "SELECT count(*), (SELECT coalesce(sum(dead_letters), 0)"
                + " FROM fraudwatch.batch_dead_letters WHERE job_name = ? AND batch_time > ?),"
                + " min(batch_time),"
                + " coalesce(sum(records) FILTER (WHERE batch_time > ?), 0), count(*) FILTER (WHERE batch_time > ?),"
                + " min(batch_time) FILTER (WHERE batch_time > ?)"
                + " FROM fraudwatch.batch_metrics WHERE job_name = ? AND batch_time > ?",
            List.of(
                jobName.get(),
                from,
                last.get().minusSeconds(60),
                last.get().minusSeconds(60),
                last.get().minusSeconds(60),
                jobName.get(),
                from),
            rs -> {
              sums[0] = rs.getLong(1);
              sums[1] = rs.getLong(2);
              sums[2] = rs.getLong(4);
              sums[3] = rs.getLong(5);
              span[0] = instant(rs, 6);
            });
        batches = sums[0];
        deadLetters = sums[1];
        // records of the last minute's batches over the time they span (a stopped job keeps its
        // last rate)
        if (sums[3] > 1 && span[0] != null) {
          double seconds =
              Duration.between(span[0], last.get()).toMillis() / 1000.0 * sums[3] / (sums[3] - 1);
          eps = seconds > 0 ? sums[2] / seconds : 0;
        }
        long[] lastRow = new long[2];
        query(
            "SELECT processing_ms, scheduling_delay_ms FROM fraudwatch.batch_metrics WHERE job_name = ?"
                + " AND batch_time = ?",
            List.of(jobName.get(), last.get()),
            rs -> {
              lastRow[0] = rs.getLong(1);
              lastRow[1] = rs.getLong(2);
            });
        processing = lastRow[0];
        delay = lastRow[1];
      }
    }
    Map<String, Long> slots = slots();
    Optional<Instant> eventTime = eventTime();
    Long day = null;
    long alertsThatDay = 0;
    if (eventTime.isPresent()) {
      LocalDate d = LocalDate.ofInstant(eventTime.get(), ZoneOffset.UTC);
      day = start(d).getEpochSecond();
      long[] n = new long[1];
      query(
          "SELECT count(*) FROM fraudwatch.alerts WHERE event_time >= ? AND event_time < ?",
          List.of(start(d), start(d.plusDays(1))),
          rs -> n[0] = rs.getLong(1));
      alertsThatDay = n[0];
    }
    DriftLatest top = null;
    Long driftHour = null;
    Drift d = drift();
    top =
        d.latest().stream()
            .filter(v -> !v.exempt() && v.enoughTransactions())
            .findFirst()
            .orElse(null);
    driftHour = d.latestHour();
    return new Overview(
        jobName.orElse(null),
        latest,
        eps,
        batches,
        processing,
        delay,
        model,
        slots.get("champion"),
        slots.get("challenger"),
        epoch(eventTime.orElse(null)),
        day,
        alertsThatDay,
        config.alertBudget(),
        top == null ? null : top.psi(),
        top == null ? null : top.feature(),
        driftHour,
        drift.threshold(),
        deadLetters,
        config.hours(),
        config.days(),
        config.refresh().toSeconds());
  }

  private Map<String, Long> slots() throws SQLException {
    Map<String, Long> slots = new HashMap<>();
    query(
        "SELECT slot, version_id FROM fraudwatch.model_slots WHERE model_name = ?",
        List.of(model),
        rs -> slots.put(rs.getString(1), rs.getLong(2)));
    return slots;
  }

  public Throughput throughput() throws SQLException {
    Optional<String> jobName = job();
    Optional<Instant> last = jobName.isPresent() ? latestBatch(jobName.get()) : Optional.empty();
    if (last.isEmpty()) {
      return new Throughput(0, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }
    Instant from = last.get().minus(Duration.ofHours(config.hours()));
    long[] shape = new long[2];
    Instant[] first = new Instant[1];
    query(
        "SELECT count(*), min(batch_time) FROM fraudwatch.batch_metrics WHERE job_name = ? AND batch_time > ?",
        List.of(jobName.get(), from),
        rs -> {
          shape[0] = rs.getLong(1);
          first[0] = instant(rs, 2);
        });
    long spanSeconds = Math.max(1, Duration.between(first[0], last.get()).toSeconds());
    // a bucket holds at least one batch on average, and the chart at most MAX_POINTS buckets
    long bucket =
        Math.max(
            1,
            Math.max(
                ceilDiv(spanSeconds, MAX_POINTS),
                shape[0] > 1 ? ceilDiv(spanSeconds, shape[0] - 1) : 1));
    List<Long> time = new ArrayList<>();
    List<Double> eps = new ArrayList<>();
    List<Long> processing = new ArrayList<>();
    List<Long> delay = new ArrayList<>();
    List<Long> alerts = new ArrayList<>();
    List<Long> dead = new ArrayList<>();
    query(
        "SELECT (floor(extract(epoch FROM batch_time) / ?) * ?)::bigint AS t, sum(records), max(processing_ms),"
            + " max(scheduling_delay_ms), sum(alerts), sum(dead_letters) FROM fraudwatch.batch_metrics"
            + " WHERE job_name = ? AND batch_time > ? GROUP BY 1 ORDER BY 1",
        List.of(bucket, bucket, jobName.get(), from),
        rs -> {
          time.add(rs.getLong(1));
          eps.add(rs.getLong(2) / (double) bucket);
          processing.add(rs.getLong(3));
          delay.add(rs.getLong(4));
          alerts.add(rs.getLong(5));
          dead.add(rs.getLong(6));
        });
    return new Throughput(bucket, time, eps, processing, delay, alerts, dead);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  public Alerts alerts() throws SQLException {
    Optional<Instant> latest = eventTime();
    if (latest.isEmpty()) {
      return new Alerts(List.of(), List.of(), List.of(), List.of(), config.alertBudget(), 0);
    }
    LocalDate first = firstDay(latest.get());
    Instant end = start(LocalDate.ofInstant(latest.get(), ZoneOffset.UTC).plusDays(1));
    TreeMap<Long, Long> byHour = new TreeMap<>();
    query(
        "SELECT extract(epoch FROM date_trunc('hour', event_time AT TIME ZONE 'UTC'))::bigint, count(*)"
            + " FROM fraudwatch.alerts WHERE event_time >= ? AND event_time < ? GROUP BY 1",
        List.of(start(first), end),
        rs -> byHour.put(rs.getLong(1), rs.getLong(2)));
    List<Long> hour = new ArrayList<>();
    List<Long> perHour = new ArrayList<>();
    Instant lastHour = latest.get().truncatedTo(ChronoUnit.HOURS);
    for (Instant h = start(first); !h.isAfter(lastHour); h = h.plus(1, ChronoUnit.HOURS)) {
      hour.add(h.getEpochSecond());
      perHour.add(byHour.getOrDefault(h.getEpochSecond(), 0L));
    }
    List<Long> day = new ArrayList<>();
    List<Long> perDay = new ArrayList<>();
    long over = 0;
    for (LocalDate d = first; start(d).isBefore(end); d = d.plusDays(1)) {
      long from = start(d).getEpochSecond();
      long n =
          byHour.subMap(from, from + 86_400).values().stream().mapToLong(Long::longValue).sum();
      day.add(from);
      perDay.add(n);
      over += n > config.alertBudget() ? 1 : 0;
    }
    return new Alerts(hour, perHour, day, perDay, config.alertBudget(), over);
  }

  public Quality quality() throws SQLException {
    Optional<Instant> latest = eventTime();
    if (latest.isEmpty()) {
      return new Quality(
          config.cardPrecisionK(), List.of(), List.of(), List.of(), List.of(), List.of(), null);
    }
    LocalDate first = firstDay(latest.get());
    LocalDate last = LocalDate.ofInstant(latest.get(), ZoneOffset.UTC);
    Map<Long, long[]> byDay = new HashMap<>();
    query(
        "SELECT extract(epoch FROM (a.event_time AT TIME ZONE 'UTC')::date::timestamp)::bigint, count(*),"
            + " count(l.transaction_id), count(*) FILTER (WHERE l.fraud) FROM fraudwatch.alerts a"
            + " LEFT JOIN fraudwatch.labels l ON l.transaction_id = a.transaction_id"
            + " WHERE a.event_time >= ? AND a.event_time < ? GROUP BY 1",
        List.of(start(first), start(last.plusDays(1))),
        rs -> byDay.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)}));
    Map<Long, Double> cardPrecisionByDay = cardPrecision(first, last);
    List<Long> day = new ArrayList<>();
    List<Double> precision = new ArrayList<>();
    List<Double> labelled = new ArrayList<>();
    List<Long> alerts = new ArrayList<>();
    List<Double> cp = new ArrayList<>();
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      long t = start(d).getEpochSecond();
      long[] n = byDay.getOrDefault(t, new long[3]);
      day.add(t);
      alerts.add(n[0]);
      precision.add(n[1] == 0 ? null : (double) n[2] / n[1]);
      labelled.add(n[0] == 0 ? null : (double) n[1] / n[0]);
      cp.add(cardPrecisionByDay.get(t));
    }
    return new Quality(
        config.cardPrecisionK(), day, precision, labelled, alerts, cp, epoch(cardPrecisionAt));
  }

  /**
   * Card precision@k per day, recomputed at most every {@code dashboard.precision-refresh}: it
   * reads the scored transactions of the shown days (the top cards of each day by their highest
   * score, and the labels).
   */
  private synchronized Map<Long, Double> cardPrecision(LocalDate first, LocalDate last)
      throws SQLException {
    Instant now = clock.instant();
    if (!first.equals(cardPrecisionFrom)
        || now.isAfter(cardPrecisionAt.plus(config.precisionRefresh()))) {
      Map<String, Instant> knownAt = new HashMap<>();
      query(
          "SELECT t.customer_id, min(l.known_at) FROM fraudwatch.labels l JOIN fraudwatch.scored_transactions t"
              + " ON t.transaction_id = l.transaction_id WHERE l.fraud AND l.known_at >= ? AND l.known_at < ? GROUP BY 1",
          List.of(start(first).minus(KNOWN_FRAUD_LOOKBACK), start(last.plusDays(1))),
          rs -> knownAt.put(rs.getString(1), instant(rs, 2)));
      // excluded cards (known or found earlier) all have a fraud: k + that many per day always
      // leaves k to check
      int keep = config.cardPrecisionK() + knownAt.size();
      List<ScoredOutcome> cardDays = new ArrayList<>();
      java.util.Set<LocalDate> labelledDays = new java.util.HashSet<>();
      query(
          "WITH per_card AS (SELECT (t.event_time AT TIME ZONE 'UTC')::date AS day, t.customer_id,"
              + " max(t.score) AS score, bool_or(coalesce(l.fraud, false)) AS fraud,"
              + " bool_or(l.transaction_id IS NOT NULL) AS labelled"
              + " FROM fraudwatch.scored_transactions t LEFT JOIN fraudwatch.labels l ON l.transaction_id = t.transaction_id"
              + " WHERE t.event_time >= ? AND t.event_time < ? GROUP BY 1, 2)"
              + " SELECT day, customer_id, score, fraud, labelled FROM (SELECT *, row_number() OVER (PARTITION BY day"
              + " ORDER BY score DESC) AS rank FROM per_card) ranked WHERE rank <= ?",
          List.of(start(first), start(last.plusDays(1)), keep),
          rs -> {
            LocalDate d = rs.getObject(1, LocalDate.class);
            cardDays.add(new ScoredOutcome(rs.getString(2), d, rs.getDouble(3), rs.getBoolean(4)));
            if (rs.getBoolean(5)) {
              labelledDays.add(d);
            }
          });
      Map<Long, Double> byDay = new HashMap<>();
      for (CardPrecision.Day d :
          LiveCardPrecision.perDay(cardDays, knownAt, config.cardPrecisionK()).days()) {
        // a day none of whose top cards is labelled yet has no precision yet, not a precision of 0
        if (labelledDays.contains(d.day())) {
          byDay.put(start(d.day()).getEpochSecond(), d.precision());
        }
      }
      cardPrecision = byDay;
      cardPrecisionFrom = first;
      cardPrecisionAt = now;
    }
    return cardPrecision;
  }

  public Models models() throws SQLException {
    Map<String, Long> slots = slots();
    List<SlotEvent> events = new ArrayList<>();
    query(
        "SELECT occurred_at, slot, action, from_version, to_version, actor, reason FROM fraudwatch.model_slot_events"
            + " WHERE model_name = ? ORDER BY id DESC LIMIT "
            + MAX_EVENTS,
        List.of(model),
        rs -> {
          long from = rs.getLong(4);
          Long fromVersion = rs.wasNull() ? null : from;
          events.add(
              new SlotEvent(
                  instant(rs, 1).getEpochSecond(),
                  rs.getString(2),
                  rs.getString(3),
                  fromVersion,
                  rs.getLong(5),
                  rs.getString(6),
                  rs.getString(7)));
        });
    List<Long> time = new ArrayList<>();
    List<Long> version = new ArrayList<>();
    List<Double> learnerAuc = new ArrayList<>();
    List<Double> championAuc = new ArrayList<>();
    List<Double> learnerAp = new ArrayList<>();
    List<Double> championAp = new ArrayList<>();
    long[] count = new long[1];
    query(
        "SELECT count(*) FROM fraudwatch.model_versions WHERE model_name = ?",
        List.of(model),
        rs -> count[0] = rs.getLong(1));
    List<Object[]> online = new ArrayList<>();
    query(
        "SELECT id, created_at, metrics::text FROM fraudwatch.model_versions WHERE model_name = ? AND kind = 'online'"
            + " ORDER BY id DESC LIMIT "
            + MAX_VERSIONS,
        List.of(model),
        rs -> online.add(new Object[] {rs.getLong(1), instant(rs, 2), rs.getString(3)}));
    online.sort(Comparator.comparingLong(o -> (Long) o[0]));
    for (Object[] o : online) {
      JsonNode m;
      try {
        m = JSON.readTree((String) o[2]);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        continue;
      }
      time.add(((Instant) o[1]).getEpochSecond());
      version.add((Long) o[0]);
      learnerAuc.add(metric(m, MetricNames.PREQUENTIAL_AUC_ROC));
      championAuc.add(metric(m, MetricNames.PREQUENTIAL_CHAMPION_AUC_ROC));
      learnerAp.add(metric(m, MetricNames.PREQUENTIAL_AVERAGE_PRECISION));
      championAp.add(metric(m, MetricNames.PREQUENTIAL_CHAMPION_AVERAGE_PRECISION));
    }
    return new Models(
        model,
        slots.get("champion"),
        slots.get("challenger"),
        events,
        time,
        version,
        learnerAuc,
        championAuc,
        learnerAp,
        championAp,
        count[0]);
  }

  private static Double metric(JsonNode metrics, String name) {
    JsonNode v = metrics.get(name);
    return v == null || !v.isNumber() ? null : v.doubleValue();
  }

  public Drift drift() throws SQLException {
    Optional<Instant> latest = eventTime();
    if (latest.isEmpty()) {
      return new Drift(drift.threshold(), null, List.of(), List.of(), List.of(), null);
    }
    Instant from = start(firstDay(latest.get()));
    // per hour and feature, the version that scored most of the window (the champion, but for a
    // promotion's hours)
    TreeMap<Long, Map<String, DriftLatest>> byHour = new TreeMap<>();
    Integer[] window = new Integer[1];
    query(
        "SELECT DISTINCT ON (hour, feature) extract(epoch FROM hour)::bigint, feature, psi, transactions,"
            + " model_version, window_hours FROM fraudwatch.drift WHERE hour >= ? AND hour <= ?"
            + " ORDER BY hour, feature, transactions DESC, model_version DESC",
        List.of(from, latest.get()),
        rs -> {
          byHour
              .computeIfAbsent(rs.getLong(1), h -> new LinkedHashMap<>())
              .put(
                  rs.getString(2),
                  new DriftLatest(
                      rs.getString(2),
                      rs.getDouble(3),
                      rs.getLong(4),
                      rs.getLong(5),
                      drift.exemptFeatures().contains(rs.getString(2)),
                      rs.getLong(4) >= drift.minTransactions()));
          window[0] = rs.getInt(6);
        });
    if (byHour.isEmpty()) {
      return new Drift(drift.threshold(), null, List.of(), List.of(), List.of(), null);
    }
    Map<String, Double> maxPsi = new HashMap<>();
    // the features shown are those that drifted most on windows large enough to say so
    byHour
        .values()
        .forEach(
            m ->
                m.values().stream()
                    .filter(DriftLatest::enoughTransactions)
                    .forEach(v -> maxPsi.merge(v.feature(), v.psi(), Math::max)));
    List<String> shown = new ArrayList<>();
    shown.add(io.fraudwatch.models.drift.DriftWindow.SCORE);
    maxPsi.entrySet().stream()
        .filter(
            e ->
                !e.getKey().equals(io.fraudwatch.models.drift.DriftWindow.SCORE)
                    && !drift.exemptFeatures().contains(e.getKey()))
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(DRIFT_SERIES)
        .forEach(e -> shown.add(e.getKey()));
    List<Long> hours = new ArrayList<>(byHour.keySet());
    List<DriftSeries> series = new ArrayList<>();
    for (String f : shown) {
      List<Double> psi = new ArrayList<>();
      for (Map<String, DriftLatest> m : byHour.values()) {
        DriftLatest v = m.get(f);
        psi.add(v == null ? null : v.psi());
      }
      series.add(new DriftSeries(f, psi));
    }
    List<DriftLatest> latestValues = new ArrayList<>(byHour.lastEntry().getValue().values());
    latestValues.sort(Comparator.comparingDouble(DriftLatest::psi).reversed());
    return new Drift(drift.threshold(), window[0], hours, series, latestValues, byHour.lastKey());
  }

  public DeadLetters deadLetters() throws SQLException {
    Optional<String> jobName = job();
    Optional<Instant> last = jobName.isPresent() ? latestBatch(jobName.get()) : Optional.empty();
    if (last.isEmpty()) {
      return new DeadLetters(0, List.of());
    }
    List<DeadLetterReason> reasons = new ArrayList<>();
    query(
        "SELECT reason_code, sum(dead_letters) FROM fraudwatch.batch_dead_letters WHERE job_name = ?"
            + " AND batch_time > ? GROUP BY 1 ORDER BY 2 DESC, 1",
        List.of(jobName.get(), last.get().minus(Duration.ofHours(config.hours()))),
        rs -> reasons.add(new DeadLetterReason(rs.getString(1), rs.getLong(2))));
    return new DeadLetters(
        reasons.stream().mapToLong(DeadLetterReason::deadLetters).sum(), reasons);
  }

  /**
   * Terminals whose alert rate jumped: the 10-minute window's rate above the hour's, largest first.
   */
  public AlertRateJumps alertRateJumps() throws SQLException {
    List<Long> asOf = new ArrayList<>();
    query(
        "SELECT max(as_of) FROM fraudwatch.activity_windows WHERE window_seconds = 600",
        List.of(),
        rs -> asOf.add(epoch(instant(rs, 1))));
    List<AlertRateJump> jumps = new ArrayList<>();
    query(
        "SELECT terminal_id, transactions_10m, alerts_10m, alert_rate_10m, transactions_1h, alerts_1h,"
            + " alert_rate_1h FROM fraudwatch.terminal_alert_jumps ORDER BY jump DESC, alerts_10m DESC,"
            + " terminal_id LIMIT ?",
        List.of(ALERT_RATE_JUMPS),
        rs ->
            jumps.add(
                new AlertRateJump(
                    rs.getString(1),
                    rs.getLong(2),
                    rs.getLong(3),
                    rs.getDouble(4),
                    rs.getLong(5),
                    rs.getLong(6),
                    rs.getDouble(7))));
    return new AlertRateJumps(asOf.get(0), jumps);
  }
}

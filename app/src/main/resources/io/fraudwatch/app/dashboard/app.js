'use strict';
// The Fraudwatch dashboard: fetches one JSON document per panel and draws it with uPlot, then again every
// dashboard.refresh. Every text from the server goes in with textContent, never as HTML.
(function () {
  const COLORS = ['#2563eb', '#ea580c', '#16a34a', '#7c3aed', '#0d9488', '#db2777', '#ca8a04'];
  const HEIGHT = 230;
  const charts = {};
  const state = { refreshes: 0, lastError: null, charts: charts };
  window.fraudwatch = state;

  const utc = ts => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC');
  const $ = id => document.getElementById(id);
  const num = (v, digits) => v == null ? '–' : Number(v).toLocaleString('en-US',
    { maximumFractionDigits: digits == null ? 0 : digits, minimumFractionDigits: digits == null ? 0 : digits });
  const pad = n => String(n).padStart(2, '0');
  const when = ts => { const d = new Date(ts * 1e3);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' +
      pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()); };
  const day = ts => when(ts).slice(0, 10);

  async function get(path) {
    const r = await fetch(path, { cache: 'no-store' });
    const body = await r.json();
    if (!r.ok) { throw new Error(path + ': ' + (body.error || r.status)); }
    return body;
  }

  function tile(id, value, note, level) {
    const t = $(id);
    t.querySelector('.value').textContent = value;
    t.querySelector('.note').textContent = note || '';
    t.classList.remove('ok', 'warn', 'bad');
    if (level) { t.classList.add(level); }
  }

  // Tick labels of a time axis in UTC, as precise as the chart's span needs.
  function timeTicks(u, ticks) {
    const span = u.scales.x.max - u.scales.x.min;
    return ticks.map(ts => {
      const t = when(ts);
      if (span > 3 * 86400) { return t.slice(5, 10); }
      if (span > 86400) { return t.slice(5, 16); }
      if (span > 600) { return t.slice(11, 16); }
      return t.slice(11, 16) + ':' + pad(new Date(ts * 1e3).getUTCSeconds());
    });
  }
  // whole seconds and up: the x values are epoch seconds
  const TIME_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
    2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400];

  // Draws or updates a chart; recreated when its series change. An empty x axis shows a note instead.
  function draw(key, x, series, opts) {
    const el = $('chart-' + key);
    const signature = series.map(s => s.label).join('|');
    if (!x.length) {
      if (charts[key]) { charts[key].destroy(); delete charts[key]; }
      if (!el.querySelector('.empty')) {
        el.textContent = '';
        const p = document.createElement('div');
        p.className = 'empty';
        p.textContent = opts.emptyText || 'No data yet.';
        el.appendChild(p);
      }
      return;
    }
    const data = [x].concat(series.map(s => s.values));
    const existing = charts[key];
    if (existing && existing.fraudwatchSignature === signature) {
      existing.setData(data);
      return;
    }
    if (existing) { existing.destroy(); }
    el.textContent = '';
    const u = new uPlot({
      width: Math.max(300, el.clientWidth), height: HEIGHT, tzDate: utc,
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      scales: { x: opts.step ? { time: true, range: (u, min, max) => [min - opts.step / 2, max + opts.step / 2] }
        : { time: true }, y: opts.y || { auto: true } },
      axes: [{ stroke: '#6b7280', grid: { stroke: '#eef0f3' }, incrs: TIME_INCRS, values: timeTicks },
        { stroke: '#6b7280', grid: { stroke: '#eef0f3' }, size: 56, values: opts.yValues }],
      series: [{ label: 'UTC', value: (u, ts) => ts == null ? '–' : when(ts) }].concat(series.map((s, i) => Object.assign({
        label: s.label, stroke: s.color || COLORS[i % COLORS.length], width: 2, spanGaps: false,
        value: (u, v) => v == null ? '–' : num(v, s.digits)
      }, s.style || {})))
    }, data, el);
    u.fraudwatchSignature = signature;
    charts[key] = u;
  }

  const bars = color => ({ paths: uPlot.paths.bars({ size: [0.8, 40] }), fill: color + 'cc', stroke: color, points: { show: false } });
  const dashed = color => ({ stroke: color, dash: [6, 4], width: 1.5, points: { show: false } });

  function overview(o) {
    const parts = [];
    if (o.job) { parts.push('job ' + o.job); }
    parts.push('model ' + o.model);
    if (o.eventTime != null) { parts.push('event time ' + when(o.eventTime) + ' UTC'); }
    $('context').textContent = parts.join(' · ');
    $('scope-batches').textContent = 'last ' + o.hours + ' h of the job\'s batches (wall time)';
    $('scope-days').textContent = 'last ' + o.days + ' days of event time';
    $('scope-drift').textContent = 'against the training distribution of the version that scored';
    $('scope-dead').textContent = 'last ' + o.hours + ' h of batches';
    const stale = o.latestBatch == null ? null : (Date.now() / 1e3 - o.latestBatch);
    tile('tile-rate', num(o.eventsPerSecond) + ' /s',
      o.latestBatch == null ? 'no batch recorded yet' :
        (stale > 300 ? 'stopped; last batch ' + when(o.latestBatch) : num(o.batchesShown) + ' batches in ' + o.hours + ' h'),
      o.latestBatch == null || stale > 300 ? 'warn' : 'ok');
    tile('tile-delay', o.processingMs == null ? '–' : num(o.processingMs) + ' ms',
      o.schedulingDelayMs == null ? '' : 'processing; scheduling delay ' + num(o.schedulingDelayMs) + ' ms',
      o.schedulingDelayMs == null ? null : o.schedulingDelayMs > 10000 ? 'bad' : o.schedulingDelayMs > 2000 ? 'warn' : 'ok');
    tile('tile-budget', num(o.alertsThatDay) + ' / ' + num(o.alertBudget),
      o.day == null ? 'no alerts yet' : 'budget per day; ' + day(o.day), o.alertsThatDay > o.alertBudget ? 'bad' : 'ok');
    tile('tile-models', o.champion == null ? 'none' : 'v' + o.champion,
      o.challenger == null ? 'no challenger' : 'challenger v' + o.challenger, o.champion == null ? 'bad' : 'ok');
    tile('tile-drift', o.maxPsi == null ? '–' : num(o.maxPsi, 3),
      o.maxPsi == null ? 'no hour measured yet' : o.maxPsiFeature.replace(/_/g, '_\u200b') + ', ' + when(o.driftHour),
      o.maxPsi == null ? null : o.maxPsi > o.driftThreshold ? 'bad' : o.maxPsi > o.driftThreshold / 2 ? 'warn' : 'ok');
    tile('tile-dead', num(o.deadLetters), 'in the last ' + o.hours + ' h of batches', o.deadLetters > 0 ? 'warn' : 'ok');
    return o;
  }

  function throughput(t) {
    draw('throughput', t.time, [
      { label: 'events/s', values: t.eventsPerSecond, digits: 0, style: { fill: '#2563eb22' } },
      { label: 'alerts', values: t.alerts, color: '#dc2626' }
    ], { emptyText: 'No batch recorded yet.' });
    draw('delays', t.time, [
      { label: 'processing ms', values: t.processingMsMax },
      { label: 'scheduling delay ms', values: t.schedulingDelayMsMax }
    ], { emptyText: 'No batch recorded yet.' });
  }

  function alerts(a) {
    draw('alerts', a.hour, [{ label: 'alerts', values: a.perHour, style: bars('#dc2626') }],
      { emptyText: 'No alert yet.', step: 3600 });
    draw('budget', a.day, [
      { label: 'alerts per day', values: a.perDay, style: bars('#2563eb') },
      { label: 'budget', values: a.day.map(() => a.budget), style: dashed('#dc2626') }
    ], { emptyText: 'No alert yet.', step: 86400, y: { range: (u, min, max) => [0, Math.max(max, a.budget) * 1.1] } });
    $('budget-note').textContent = a.budget + ' alerts per day' +
      (a.day.length ? '; ' + a.daysOverBudget + ' of ' + a.day.length + ' days over' : '');
  }

  function quality(q) {
    draw('quality', q.day, [
      { label: 'alert precision', values: q.alertPrecision, digits: 3, style: { points: { show: true, size: 6 } } },
      { label: 'card precision@' + q.k, values: q.cardPrecision, digits: 3, style: { points: { show: true, size: 6 } } },
      { label: 'alerts labelled', values: q.labelledShare, digits: 3, style: dashed('#9ca3af') }
    ], { emptyText: 'No scored day yet.', y: { range: [0, 1] } });
    $('quality-note').textContent = 'alert precision on the labelled alerts; card precision@' + q.k +
      ' with the cards already known compromised removed; recent days rise as their labels arrive' +
      (q.cardPrecisionComputedAt ? ' (CP@k as of ' + when(q.cardPrecisionComputedAt) + ')' : '');
  }

  function models(m) {
    $('scope-model').textContent = m.model + ': ' + m.versions + ' versions, champion ' +
      (m.champion == null ? 'none' : 'v' + m.champion) + (m.challenger == null ? '' : ', challenger v' + m.challenger);
    draw('prequential', m.versionTime, [
      { label: 'learner AUC ROC', values: m.learnerAucRoc, digits: 3 },
      { label: 'champion AUC ROC', values: m.championAucRoc, digits: 3, style: dashed('#2563eb') },
      { label: 'learner avg precision', values: m.learnerAveragePrecision, digits: 3, color: '#ea580c' },
      { label: 'champion avg precision', values: m.championAveragePrecision, digits: 3, style: dashed('#ea580c') }
    ], { emptyText: 'No online version yet.', y: { range: [0, 1] } });
    const body = $('timeline').querySelector('tbody');
    body.textContent = '';
    if (!m.events.length) {
      const tr = body.insertRow();
      const td = tr.insertCell();
      td.colSpan = 5;
      td.textContent = 'No promotion yet.';
    }
    for (const e of m.events) {
      const tr = body.insertRow();
      const at = tr.insertCell();
      at.className = 'when';
      at.textContent = when(e.time);
      const slot = document.createElement('span');
      slot.className = 'pill' + (e.slot === 'challenger' ? ' challenger' : '');
      slot.textContent = e.slot;
      tr.insertCell().appendChild(slot);
      const change = tr.insertCell();
      const action = document.createElement('span');
      action.className = 'pill' + (e.action === 'rollback' ? ' rollback' : '');
      action.textContent = e.action;
      change.appendChild(action);
      change.appendChild(document.createTextNode(' ' + (e.fromVersion == null ? '' : 'v' + e.fromVersion + ' → ') + 'v' + e.toVersion));
      tr.insertCell().textContent = e.actor;
      const reason = tr.insertCell();
      reason.className = 'reason';
      reason.textContent = e.reason;
    }
  }

  function drift(d) {
    const threshold = d.hour.map(() => d.threshold);
    // a log scale: the interesting range is 0.05 to 0.5, and a broken feature can reach 10
    const positive = v => v == null ? null : Math.max(v, 0.001);
    draw('drift', d.hour, d.series.map((s, i) => ({ label: s.feature, values: s.psi.map(positive), digits: 3,
      color: i === 0 ? '#111827' : COLORS[(i - 1) % COLORS.length] }))
      .concat([{ label: 'threshold', values: threshold, style: dashed('#dc2626'), digits: 2 }]),
      { emptyText: 'No hour measured yet: drift is measured once the stream has passed an hour of event time.',
        y: { distr: 3, log: 10 } });
    $('drift-note').textContent = d.windowHours == null ? '' :
      'each point covers the ' + d.windowHours + ' h up to it; the score and the ' + (d.series.length - 1) +
      ' features that drifted most';
    $('drift-latest-note').textContent = d.latestHour == null ? '' : when(d.latestHour) + ' UTC';
    const body = $('drift-latest').querySelector('tbody');
    body.textContent = '';
    const max = Math.max(d.threshold * 1.5, ...d.latest.map(v => v.psi));
    for (const v of d.latest) {
      const tr = body.insertRow();
      if (v.exempt) { tr.className = 'exempt'; }
      tr.insertCell().textContent = v.feature + (v.exempt ? ' (exempt)' : '');
      const bar = document.createElement('div');
      bar.className = 'psi-bar' + (v.psi > d.threshold && !v.exempt && v.enoughTransactions ? ' over' : '');
      bar.style.width = (100 * v.psi / max).toFixed(1) + '%';
      const cell = tr.insertCell();
      cell.style.width = '45%';
      cell.appendChild(bar);
      const psi = tr.insertCell();
      psi.className = 'num';
      psi.textContent = num(v.psi, 3);
      const n = tr.insertCell();
      n.className = 'num';
      n.textContent = num(v.transactions) + ' tx · v' + v.version;
    }
    if (!d.latest.length) {
      const td = body.insertRow().insertCell();
      td.textContent = 'No hour measured yet.';
    }
  }

  function deadLetters(x) {
    const el = $('dead-letters');
    el.textContent = '';
    if (!x.reasons.length) {
      const p = document.createElement('div');
      p.className = 'empty';
      p.style.padding = '16px 0';
      p.textContent = 'No dead letters.';
      el.appendChild(p);
      return;
    }
    const max = Math.max(...x.reasons.map(r => r.deadLetters));
    for (const r of x.reasons) {
      const row = document.createElement('div');
      row.className = 'row';
      const name = document.createElement('div');
      name.className = 'name';
      name.textContent = r.reason;
      const bar = document.createElement('div');
      bar.className = 'bar';
      bar.style.width = (100 * r.deadLetters / max).toFixed(1) + '%';
      const wrap = document.createElement('div');
      wrap.appendChild(bar);
      const n = document.createElement('div');
      n.className = 'num';
      n.textContent = num(r.deadLetters);
      row.append(name, wrap, n);
      el.appendChild(row);
    }
  }

  function alertRateJumps(j) {
    $('scope-jumps').textContent = j.asOf == null ? 'no windows yet' : 'windows as of ' + when(j.asOf);
    const body = $('alert-rate-jumps').tBodies[0];
    body.textContent = '';
    const pct = r => (100 * r).toFixed(1) + ' %';
    for (const t of j.terminals) {
      const row = body.insertRow();
      row.insertCell().textContent = t.terminal;
      row.insertCell().textContent = pct(t.rate10m) + ' of ' + num(t.transactions10m);
      row.insertCell().textContent = pct(t.rate1h) + ' of ' + num(t.transactions1h);
      const n = row.insertCell();
      n.className = 'num';
      n.textContent = '+' + pct(t.rate10m - t.rate1h);
    }
    if (!j.terminals.length) {
      const td = body.insertRow().insertCell();
      td.colSpan = 4;
      td.textContent = 'No terminal alerts more now than over the hour.';
    }
  }

  let refreshSeconds = 10;
  async function refresh() {
    try {
      const [o, t, a, q, m, d, x, j] = await Promise.all(['/api/overview', '/api/throughput', '/api/alerts',
        '/api/quality', '/api/models', '/api/drift', '/api/dead-letters', '/api/alert-rate-jumps'].map(get));
      refreshSeconds = overview(o).refreshSeconds || refreshSeconds;
      throughput(t);
      alerts(a);
      quality(q);
      models(m);
      drift(d);
      deadLetters(x);
      alertRateJumps(j);
      $('error').hidden = true;
      state.lastError = null;
      $('updated').textContent = 'updated ' + new Date().toISOString().slice(11, 19) + ' UTC, every ' + refreshSeconds + ' s';
    } catch (e) {
      state.lastError = String(e.message || e);
      $('error').textContent = 'Could not refresh: ' + state.lastError;
      $('error').hidden = false;
    }
    state.refreshes++;
    setTimeout(refresh, refreshSeconds * 1000);
  }

  window.addEventListener('resize', () => {
    for (const key of Object.keys(charts)) {
      const el = $('chart-' + key);
      charts[key].setSize({ width: Math.max(300, el.clientWidth), height: HEIGHT });
    }
  });
  refresh();
})();

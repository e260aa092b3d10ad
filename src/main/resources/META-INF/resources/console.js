'use strict';
// The console reads the service's own read-only endpoints every few seconds; each part of a page shows its own
// problem (a server down, a 401) and the rest keeps working.

const REFRESH_MS = 3000;
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const PAGES = ['overview', 'partitions', 'checkpoints', 'device', 'savepoints'];

const state = {
  readAuthorization: null, // for reads when rollup.api.read-auth=true: this page's memory only, never stored
  charts: {},
  positions: {}, // partition -> {position, since}: when its position last moved
  device: null,
  errors: 0,
};

// counted where a test (ConsoleIT) can read it: a script that failed is a broken page
function countError() {
  state.errors += 1;
  document.body.dataset.errors = String(state.errors);
}

window.addEventListener('error', countError);
window.addEventListener('unhandledrejection', countError);

class AuthNeeded extends Error {
}

const $ = (id) => document.getElementById(id);

async function get(path) {
  const headers = state.readAuthorization && path.startsWith('api/') ? {Authorization: state.readAuthorization} : {};
  const response = await fetch(path, {headers, cache: 'no-store'});
  if (response.status === 401 && path.startsWith('api/')) {
    $('auth').hidden = false;
    throw new AuthNeeded('this service needs credentials for reads (rollup.api.read-auth=true): give them above');
  }
  let body = null;
  try {
    body = await response.json();
  } catch (notJson) {
    // an empty body (204) or a proxy's error page
  }
  return {status: response.status, ok: response.ok, body};
}

/** Runs one part of a page; its failure shows in that part's problem line only. */
async function part(problemId, work) {
  const problem = $(problemId);
  try {
    await work();
    if (problem) problem.textContent = '';
  } catch (e) {
    if (problem) problem.textContent = e instanceof AuthNeeded ? e.message : 'cannot show this part: ' + e.message;
  }
}

function errorOf(answer) {
  return (answer.body && answer.body.error) || ('HTTP ' + answer.status);
}

// ---------------------------------------------------------------------------------------------------------------
// formatting

function fmtBytes(n) {
  if (n == null) return '';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return (i === 0 ? n.toFixed(0) : n.toFixed(1)) + ' ' + units[i];
}

function fmtMillis(ms) {
  if (ms == null) return '';
  if (ms < 1000) return Math.round(ms) + ' ms';
  if (ms < 120000) return (ms / 1000).toFixed(1) + ' s';
  if (ms < 7200000) return (ms / 60000).toFixed(1) + ' min';
  return (ms / 3600000).toFixed(1) + ' h';
}

function fmtTime(iso) {
  return iso ? new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

function fmtNumber(n, digits) {
  return n == null ? '' : Number(n).toFixed(digits);
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : String(text);
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function fillTable(tableId, items, fill) {
  const body = $(tableId).querySelector('tbody');
  body.textContent = '';
  for (const item of items) {
    const row = document.createElement('tr');
    fill(row, item);
    body.appendChild(row);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// charts (uPlot, from the webjar)

function chart(key, title, names, data, extra) {
  const element = $(key);
  if (typeof uPlot === 'undefined') {
    element.textContent = title + ': the chart library did not load';
    return;
  }
  const signature = names.join('|');
  const existing = state.charts[key];
  if (existing && existing.signature === signature) {
    existing.plot.setData(data);
    return;
  }
  if (existing) existing.plot.destroy();
  element.textContent = '';
  const options = Object.assign({
    title,
    width: Math.max(400, element.clientWidth - 10),
    height: 200,
    scales: {x: {time: true}},
    axes: [{}, {size: 70}],
    series: [{}].concat(names.map((name, i) => ({label: name, stroke: COLORS[i % COLORS.length], width: 1.5}))),
  }, extra || {});
  state.charts[key] = {signature, plot: new uPlot(options, data, element)};
}

/** Per-second rates between consecutive samples of a total (null across a restart, where the total falls). */
function rates(samples, value) {
  const out = [];
  for (let i = 1; i < samples.length; i++) {
    const seconds = (Date.parse(samples[i].time) - Date.parse(samples[i - 1].time)) / 1000;
    const now = value(samples[i]);
    const before = value(samples[i - 1]);
    out.push(seconds > 0 && now != null && before != null && now >= before ? (now - before) / seconds : null);
  }
  return out;
}

function keysOf(samples, field) {
  const keys = new Set();
  samples.forEach((s) => Object.keys(s[field] || {}).forEach((k) => keys.add(k)));
  return Array.from(keys).sort();
}

async function refreshOverview() {
  await part('overview-problem', async () => {
    const answer = await get('api/history');
    if (!answer.ok) throw new Error(errorOf(answer));
    const samples = answer.body.samples;
    const xs = samples.slice(1).map((s) => Date.parse(s.time) / 1000);
    chart('chart-received', 'readings/s in', ['readings/s'], [xs, rates(samples, (s) => s.received)]);
    const sinks = keysOf(samples, 'written');
    chart('chart-written', 'rows/s written per store', sinks,
        [xs].concat(sinks.map((k) => rates(samples, (s) => (s.written || {})[k] || 0))));
    const reasons = keysOf(samples, 'rejected');
    if (reasons.length === 0) {
      chart('chart-rejected', 'dead letters/s by reason', ['none so far'], [xs, xs.map(() => 0)]);
    } else {
      chart('chart-rejected', 'dead letters/s by reason', reasons,
          [xs].concat(reasons.map((k) => rates(samples, (s) => (s.rejected || {})[k] || 0))));
    }
    chart('chart-late', 'late readings/s', ['late/s'], [xs, rates(samples, (s) => (s.rejected || {}).late || 0)]);
    chart('chart-outbox', 'outbox rows and backlog', ['outbox rows', 'backlog (messages)'],
        [xs, samples.slice(1).map((s) => s.outbox), samples.slice(1).map((s) => s.backlog)]);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// header: pod, readiness, the shared servers

async function refreshHeader() {
  try {
    const pod = await get('api/pod');
    if (pod.ok) {
      $('pod').textContent = 'pod ' + pod.body.pod + ' · version ' + pod.body.version + ' · up '
          + fmtMillis(pod.body.uptimeSeconds * 1000);
    }
  } catch (e) {
    $('pod').textContent = e instanceof AuthNeeded ? 'pod: credentials needed' : 'pod: the service does not answer';
  }
  await health('q/health/ready', (answer) => {
    const readiness = $('readiness');
    const down = (answer.body.checks || []).filter((c) => c.status !== 'UP').map((c) => c.name);
    readiness.textContent = 'ready: ' + (answer.body.status === 'UP' ? 'yes' : 'no (' + down.join(', ') + ')');
    readiness.className = 'dep ' + (answer.body.status === 'UP' ? 'up' : 'down');
  }, () => {
    $('readiness').textContent = 'ready: the service does not answer';
    $('readiness').className = 'dep down';
  });
  await health('q/health/group/dependencies', (answer) => {
    const box = $('dependencies');
    box.textContent = '';
    for (const check of answer.body.checks || []) {
      const span = document.createElement('span');
      const up = check.status === 'UP';
      span.id = 'dep-' + check.name;
      span.className = 'dep ' + (up ? 'up' : 'down');
      span.textContent = check.name + ': ' + (up ? 'up' : 'down');
      span.title = (check.data && (check.data.error || check.data.endpoint)) || '';
      box.appendChild(span);
    }
  }, () => {
    document.querySelectorAll('#dependencies .dep').forEach((span) => {
      span.className = 'dep';
      span.textContent = span.id.substring(4) + ': unknown';
    });
  });
}

/** Health answers 503 with the same body when something is down: both are an answer. */
async function health(path, show, unanswered) {
  try {
    const answer = await get(path);
    if (answer.body && answer.body.status) {
      show(answer);
      return;
    }
  } catch (e) {
    // the service itself does not answer
  }
  unanswered();
}

// ---------------------------------------------------------------------------------------------------------------
// partitions: every partition of the topic, the other pods' included

async function refreshPartitions() {
  await part('partitions-problem', async () => {
    const [topic, owned, checkpoints] = await Promise.all([get('api/topic/partitions'), get('api/partitions'),
      get('api/checkpoints')]);
    if (!topic.ok) throw new Error(errorOf(topic));
    const local = {};
    if (owned.ok) owned.body.forEach((p) => { local[p.partition] = p; });
    const latest = {};
    if (checkpoints.ok) checkpoints.body.forEach((p) => { latest[p.partition] = p.latest; });
    $('topic').textContent = topic.body.topic + ' · subscription ' + topic.body.subscription + ' · this pod '
        + topic.body.pod;
    const problems = [];
    if (topic.body.brokerError) problems.push('owners and backlog unknown: ' + topic.body.brokerError);
    if (!owned.ok) problems.push('this pod\'s partitions: ' + errorOf(owned));
    if (!checkpoints.ok) problems.push('checkpoints: ' + errorOf(checkpoints));
    const now = Date.now();
    fillTable('partitions-table', topic.body.partitions, (row, p) => {
      const mine = local[p.partition];
      const checkpoint = latest[p.partition];
      row.dataset.partition = p.partition;
      cell(row, p.partition, 'num');
      cell(row, p.owner || '—');
      cell(row, p.state, 'state ' + p.state).title = p.detail || '';
      const watermark = mine && mine.watermark ? Date.parse(mine.watermark) : null;
      cell(row, mine ? fmtTime(mine.watermark) : '');
      cell(row, watermark == null ? '' : fmtMillis(now - watermark), 'num');
      cell(row, p.backlog, 'num');
      cell(row, mine ? mine.liveWindows : '', 'num');
      cell(row, mine ? fmtBytes(mine.stateBytes) : '', 'num');
      cell(row, checkpoint ? (checkpoint.status === 'COMPLETED' ? '#' + checkpoint.id : 'FAILED') + ', '
          + fmtMillis(now - Date.parse(checkpoint.time)) + ' ago, took ' + fmtMillis(checkpoint.durationMillis) : '');
      cell(row, mine ? mine.outboxRows : '', 'num');
      const marks = marksOf(p, mine, watermark, now);
      cell(row, marks.join('; '), 'marks');
      if (marks.length) row.className = 'marked';
    });
    if (problems.length) throw new Error(problems.join(' · '));
  });
}

function marksOf(p, mine, watermark, now) {
  const marks = [];
  if (!mine) return marks;
  const seen = state.positions[p.partition];
  if (!seen || seen.position !== mine.position) {
    state.positions[p.partition] = {position: mine.position, since: now};
  } else if (p.state === 'RUNNING' && p.backlog > 0 && now - seen.since >= Number($('still-seconds').value) * 1000) {
    marks.push('stands still for ' + fmtMillis(now - seen.since) + ' with a backlog of ' + p.backlog);
  }
  if (watermark != null && now - watermark > Number($('lag-seconds').value) * 1000) {
    marks.push('watermark lags ' + fmtMillis(now - watermark));
  }
  return marks;
}

// ---------------------------------------------------------------------------------------------------------------
// checkpoints

async function refreshCheckpoints() {
  await part('checkpoints-problem', async () => {
    const answer = await get('api/checkpoints');
    if (!answer.ok) throw new Error(errorOf(answer));
    const select = $('checkpoint-partition');
    const chosen = select.value;
    const partitions = answer.body.map((p) => String(p.partition));
    if (Array.from(select.options).slice(1).map((o) => o.value).join() !== partitions.join()) {
      select.length = 1;
      partitions.forEach((p) => select.add(new Option('partition ' + p, p)));
      select.value = partitions.includes(chosen) ? chosen : '';
    }
    const attempts = answer.body.filter((p) => select.value === '' || String(p.partition) === select.value)
        .flatMap((p) => p.history).sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
    fillTable('checkpoints-table', attempts, (row, a) => {
      row.className = 'checkpoint-row';
      cell(row, a.partition, 'num');
      cell(row, a.status === 'COMPLETED' ? a.id : '', 'num');
      cell(row, fmtTime(a.time));
      cell(row, fmtMillis(a.durationMillis), 'num');
      cell(row, a.filesUploaded + ' files, ' + fmtBytes(a.bytesUploaded), 'num');
      cell(row, a.filesReused + ' files, ' + fmtBytes(a.bytesReused), 'num');
      cell(row, a.status);
      cell(row, a.error || '');
    });
    const completed = attempts.filter((a) => a.status === 'COMPLETED').reverse();
    chart('chart-checkpoints', 'checkpoint duration and bytes uploaded', ['duration (ms)', 'uploaded (kB)'], [
      completed.map((a) => Date.parse(a.time) / 1000),
      completed.map((a) => a.durationMillis),
      completed.map((a) => a.bytesUploaded / 1024),
    ], {
      scales: {x: {time: true}, ms: {}, kb: {}},
      axes: [{}, {scale: 'ms', label: 'ms', size: 60}, {scale: 'kb', label: 'kB', side: 1, size: 60, grid: {show: false}}],
      series: [{},
        {label: 'duration (ms)', scale: 'ms', stroke: COLORS[0], paths: () => null, points: {show: true, size: 6, fill: COLORS[0]}},
        {label: 'uploaded (kB)', scale: 'kb', stroke: COLORS[1], paths: () => null, points: {show: true, size: 6, fill: COLORS[1]}}],
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// device

async function refreshDevice() {
  const id = state.device;
  if (!id) return;
  const path = 'api/devices/' + encodeURIComponent(id);
  await part('device-windows-problem', async () => {
    const answer = await get(path + '/windows');
    if (answer.status === 404) {
      fillTable('device-windows', [], () => {});
      throw new Error(errorOf(answer));
    }
    if (!answer.ok) throw new Error(errorOf(answer));
    const windows = answer.body.windows.slice().sort((a, b) => Date.parse(b.window_start) - Date.parse(a.window_start));
    fillTable('device-windows', windows, (row, w) => {
      cell(row, w.partition, 'num');
      cell(row, fmtTime(w.window_start));
      cell(row, w.window_size_s + ' s', 'num');
      cell(row, w.state);
      cell(row, w.version, 'num');
      cell(row, w.message_count, 'num message-count');
      cell(row, Object.entries(w.metrics).map(([name, m]) => name + ' ' + fmtNumber(m.avg, 2) + ' / '
          + fmtNumber(m.min, 2) + ' / ' + fmtNumber(m.max, 2)).join(', '));
      cell(row, fmtTime(w.last_event_time));
    });
  });
  await part('device-rows-problem', async () => {
    const answer = await get(path + '/rows?limit=10');
    if (!answer.ok) {
      fillTable('device-rows', [], () => {});
      throw new Error(errorOf(answer));
    }
    fillTable('device-rows', answer.body.rows, (row, r) => {
      cell(row, r.window_start);
      cell(row, r.window_size_s + ' s', 'num');
      cell(row, r.message_count, 'num');
      cell(row, fmtNumber(r.temperature_avg, 2), 'num');
      cell(row, fmtNumber(r.humidity_avg, 1), 'num');
      cell(row, fmtNumber(r.co2_max, 0), 'num');
      cell(row, fmtNumber(r.battery_min, 1), 'num');
      cell(row, r.version, 'num');
    });
    if (answer.body.rows.length === 0) throw new Error('no row of this device in ClickHouse yet');
  });
}

// ---------------------------------------------------------------------------------------------------------------
// savepoints: taking and deleting need the API token, asked for each call and never stored

async function refreshSavepoints() {
  await part('savepoints-problem', async () => {
    const answer = await get('api/savepoints');
    if (!answer.ok) throw new Error(errorOf(answer));
    fillTable('savepoints-table', answer.body, (row, s) => {
      cell(row, s.name);
      cell(row, s.complete ? 'yes' : 'no');
      cell(row, s.partitions.join(', '));
      cell(row, s.missing.join(', '));
      const button = document.createElement('button');
      button.textContent = 'Delete';
      button.addEventListener('click', () => deleteSavepoint(s.name));
      cell(row, '').appendChild(button);
    });
  });
}

/** The token typed for this one call; the field is emptied whatever the answer. */
function takeToken() {
  const field = $('savepoint-token');
  const token = field.value.trim();
  field.value = '';
  return token;
}

async function mutate(method, path, done) {
  const token = takeToken();
  const answerLine = $('savepoint-answer');
  if (!token) {
    answerLine.textContent = 'type the API token (rollup.api.token) first: it is asked for each call';
    return;
  }
  answerLine.textContent = method === 'POST' ? 'taking it: every pod takes its partitions\' parts (up to 30 s)…' : '';
  try {
    const response = await fetch(path, {method, headers: {Authorization: 'Bearer ' + token}});
    let body = null;
    try {
      body = await response.json();
    } catch (empty) {
      // 204
    }
    answerLine.textContent = done(response.status, body);
  } catch (e) {
    answerLine.textContent = 'the service did not answer: ' + e.message;
  }
  await refreshSavepoints();
}

function takeSavepoint(event) {
  event.preventDefault();
  const name = $('savepoint-name').value.trim();
  mutate('POST', 'api/savepoints' + (name ? '?name=' + encodeURIComponent(name) : ''), (status, body) => {
    if (status === 201) return 'savepoint ' + body.name + ' is complete: partitions ' + body.partitions.join(', ');
    if (status === 202) return 'savepoint ' + body.name + ' is pending: partitions ' + body.missing.join(', ')
        + ' have no part yet (their pods take them at their next poll)';
    return 'refused (HTTP ' + status + '): ' + ((body && body.error) || '');
  });
}

function deleteSavepoint(name) {
  mutate('DELETE', 'api/savepoints/' + encodeURIComponent(name), (status, body) =>
    status === 204 ? 'savepoint ' + name + ' deleted' : 'refused (HTTP ' + status + '): ' + ((body && body.error) || ''));
}

// ---------------------------------------------------------------------------------------------------------------
// navigation and the refresh loop

const REFRESH = {
  overview: refreshOverview,
  partitions: refreshPartitions,
  checkpoints: refreshCheckpoints,
  device: refreshDevice,
  savepoints: refreshSavepoints,
};

function currentPage() {
  const page = location.hash.substring(1);
  return PAGES.includes(page) ? page : 'overview';
}

function showPage() {
  const page = currentPage();
  PAGES.forEach((p) => $(p).classList.toggle('active', p === page));
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.getAttribute('href') === '#' + page));
  refresh();
}

let refreshing = false;

async function refresh() {
  if (refreshing) return;
  refreshing = true;
  try {
    await Promise.all([refreshHeader(), REFRESH[currentPage()]()]);
    $('refreshed').textContent = 'refreshed ' + new Date().toLocaleTimeString();
  } finally {
    refreshing = false;
  }
}

function useCredentials(event) {
  event.preventDefault();
  const token = $('auth-token').value.trim();
  const user = $('auth-user').value;
  const password = $('auth-password').value;
  state.readAuthorization = token ? 'Bearer ' + token : user ? 'Basic ' + btoa(user + ':' + password) : null;
  $('auth-token').value = '';
  $('auth-password').value = '';
  $('auth-problem').textContent = state.readAuthorization ? '' : 'give a token, or a user and password';
  refresh();
}

function forgetCredentials() {
  state.readAuthorization = null;
  refresh();
}

document.addEventListener('DOMContentLoaded', () => {
  $('auth').addEventListener('submit', useCredentials);
  $('auth-forget').addEventListener('click', forgetCredentials);
  $('device-form').addEventListener('submit', (event) => {
    event.preventDefault();
    state.device = $('device-id').value.trim();
    refreshDevice();
  });
  $('savepoint-form').addEventListener('submit', takeSavepoint);
  $('checkpoint-partition').addEventListener('change', refreshCheckpoints);
  window.addEventListener('hashchange', showPage);
  showPage();
  setInterval(refresh, REFRESH_MS);
});

// /reports: one scope's metrics per day, ISO week or month between two local dates (GET {scope}/report), as a
// table, three charts and the API's own CSV. The state is the query (?platform=&scope=&id=&from=&to=&interval=),
// so a report can be bookmarked, shared and reloaded.
// Figures: data-metric="<scope>/report/<index>.<path>" (scope platform, team or queue; index the interval's place in
// the API's array), or "<platform>:<scope>/report/<index>.<path>" when both platforms are shown.
import { $, el, figure, count, percent, duration, getJson, ApiError, signInUrl, updated } from './common.js';

const BOTH = 'both';
const INTERVALS = { day: 'day', week: 'week', month: 'month' };
const SCOPES = { platform: 'Platform totals', team: 'A team', queue: 'A queue' };
const COLLECTION = { team: 'teams', queue: 'queues' };

// Canvas colours (a canvas reads no CSS): each at least 3:1 on the page's dark panels, and each series also dashed
// differently, so colour is never the only difference.
const TYPE_COLOURS = { check_in: '#8cc8ff', check_out: '#c4b5fd', debrief: '#5eead4', imminent: '#ff8a8a', safety: '#fdba74', support: '#4ade80', unclassified: '#d1d5db' };
const SPARE_COLOURS = ['#f9a8d4', '#fde047', '#a5b4fc', '#bef264'];
const DASHES = [[], [10, 4], [3, 3], [12, 4, 3, 4], [6, 6], [1, 4], [16, 6], [4, 2, 4, 8]];
// Axis steps a person reads easily: whole counts; seconds, minutes and hours in round numbers.
const COUNT_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000];
const DURATION_STEPS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
const P50 = { label: 'p50', colour: '#8cc8ff', dash: [] };
const P90 = { label: 'p90', colour: '#fdba74', dash: [10, 4] };

// Table columns: a path in a snapshot's totals or support type, how it reads, and the threshold it is coloured by.
const COLUMNS = [
  ['offered', 'Offered', count, null, 'offered'],
  ['handled', 'Handled', count, null, 'handled'],
  ['abandoned', 'Abandoned', count, null, 'abandoned'],
  ['serviceLevel', 'Service level', percent, 'serviceLevel', 'service level'],
  ['waitSeconds.avg', 'Avg', duration, 'avgWait', 'average wait'],
  ['waitSeconds.p50', 'p50', duration, null, 'wait p50'],
  ['waitSeconds.p90', 'p90', duration, null, 'wait p90'],
  ['handleSeconds.avg', 'Avg', duration, null, 'average handle time'],
  ['handleSeconds.p50', 'p50', duration, null, 'handle time p50'],
  ['handleSeconds.p90', 'p90', duration, null, 'handle time p90'],
  ['rejectRate', 'Reject', percent, 'rejectRate', 'reject rate'],
  ['timeoutRate', 'RONA', percent, 'timeoutRate', 'RONA rate'],
  ['transferRate', 'Transfer', percent, 'transferRate', 'transfer rate'],
];

let platforms = [];
let sequence = 0;
let charts = [];

// ---- dates: local dates as YYYY-MM-DD; window names read as UTC calendar dates (no time zone arithmetic) ----
const pad = (n) => String(n).padStart(2, '0');
const ymd = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const utcDate = (s) => { const [y, m, d] = s.split('-').map(Number); return new Date(Date.UTC(y, m - 1, d)); };
const fmt = (d, options) => new Intl.DateTimeFormat('en-AU', { timeZone: 'UTC', ...options }).format(d);
const dayMonth = (d) => fmt(d, { day: 'numeric', month: 'short' });
const addDays = (d, n) => new Date(d.getTime() + n * 86400000);

function isoWeekMonday(year, week) {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  return addDays(jan4, -((jan4.getUTCDay() + 6) % 7) + (week - 1) * 7);
}

function span(a, b) {
  const sameYear = a.getUTCFullYear() === b.getUTCFullYear();
  return `${fmt(a, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) })} – ${fmt(b, { day: 'numeric', month: 'short', year: 'numeric' })}`;
}

// A window's name as a person reads it (long, for the table) and briefly (for a chart's axis).
export function windowLabel(name) {
  const [kind, value] = [name.slice(0, name.indexOf(':')), name.slice(name.indexOf(':') + 1)];
  if (kind === 'day') {
    const d = utcDate(value);
    return { long: fmt(d, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }), short: dayMonth(d) };
  }
  if (kind === 'week') {
    const [y, w] = value.split('-W').map(Number);
    const monday = isoWeekMonday(y, w);
    return { long: `Week ${w}, ${span(monday, addDays(monday, 6))}`, short: `W${w} ${dayMonth(monday)}` };
  }
  if (kind === 'month') {
    const d = utcDate(value + '-01');
    return { long: fmt(d, { month: 'long', year: 'numeric' }), short: fmt(d, { month: 'short', year: '2-digit' }) };
  }
  if (kind === 'range') {
    const [a, b] = value.split('..').map(utcDate);
    return { long: `${span(a, b)} (part)`, short: a.getTime() === b.getTime() ? dayMonth(a) : `${dayMonth(a)}–${fmt(b, { day: 'numeric' })}` };
  }
  return { long: name, short: name };
}

// ---- state: the query string is the report ----
function defaults() {
  const today = new Date();
  const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6);
  return { platform: platforms[0]?.id ?? '', scope: 'platform', id: '', ...preferred, from: ymd(from), to: ymd(today), interval: 'day' };
}

// A team leader may not read platform totals: their first report is their first team's, not a refusal.
let preferred = null;
async function preferReadableScope() {
  const p = platforms[0];
  try { await getJson(`/api/platforms/${encodeURIComponent(p.id)}/live`); } catch (e) {
    if (e instanceof ApiError && e.status === 403 && p.teams.length) preferred = { scope: 'team', id: p.teams[0] };
  }
}

function readState() {
  const q = new URLSearchParams(location.search);
  const d = defaults();
  const s = {};
  for (const k of Object.keys(d)) s[k] = q.has(k) ? q.get(k) : d[k];
  if (s.platform === BOTH || !(s.scope in COLLECTION)) { s.scope = 'platform'; }
  if (s.scope === 'platform') s.id = '';
  return s;
}

function query(s) {
  const q = new URLSearchParams({ platform: s.platform, scope: s.scope });
  if (s.scope !== 'platform') q.set('id', s.id);
  q.set('from', s.from); q.set('to', s.to); q.set('interval', s.interval);
  return '?' + q.toString();
}

function scopePath(platform, s) {
  const p = `/api/platforms/${encodeURIComponent(platform)}`;
  return s.scope === 'platform' ? p : `${p}/${COLLECTION[s.scope]}/${encodeURIComponent(s.id)}`;
}

// The API's own URL: the page's CSV link is exactly this with format=csv.
export function reportUrl(platform, s, format) {
  const q = new URLSearchParams({ from: s.from, to: s.to, interval: s.interval, format });
  return `${scopePath(platform, s)}/report?${q.toString()}`;
}

const shownPlatforms = (s) => (s.platform === BOTH ? platforms : platforms.filter((p) => p.id === s.platform));

// ---- the form ----
function control(id, label, input, hint) {
  return el('div', { class: 'field' }, el('label', { for: id }, label), input, hint ?? null);
}

function options(select, entries, value) {
  select.replaceChildren(...entries.map(([v, text, disabled]) => el('option', { value: v, disabled: disabled ? '' : null }, text)));
  select.value = value;
}

function buildForm() {
  const form = el('form', { class: 'report-form', id: 'report-form', 'aria-label': 'Report' },
    control('platform', 'Platform', el('select', { id: 'platform', name: 'platform' })),
    control('scope', 'Scope', el('select', { id: 'scope', name: 'scope' })),
    control('id', 'Team', el('select', { id: 'id', name: 'id' })),
    control('from', 'From', el('input', { id: 'from', name: 'from', type: 'date', required: '' })),
    control('to', 'To', el('input', { id: 'to', name: 'to', type: 'date', required: '' })),
    control('interval', 'Interval', el('select', { id: 'interval', name: 'interval' })),
    el('div', { class: 'field actions' }, el('button', { type: 'submit' }, 'Show report')));
  form.addEventListener('submit', (e) => { e.preventDefault(); apply(formState(), true); });
  // A choice from a list applies at once; dates apply with the button (or Enter), so a half-typed date is never asked for.
  for (const id of ['platform', 'scope', 'id', 'interval']) {
    form.querySelector('#' + id).addEventListener('change', () => apply(formState(), true));
  }
  return form;
}

function formState() {
  const v = (id) => $(id).value;
  const s = { platform: v('platform'), scope: v('scope'), id: v('id'), from: v('from'), to: v('to'), interval: v('interval') };
  if (s.platform === BOTH) s.scope = 'platform';
  if (s.scope !== 'platform') {
    const p = platforms.find((x) => x.id === s.platform);
    const ids = p?.[COLLECTION[s.scope]] ?? [];
    if (!ids.includes(s.id)) s.id = ids[0] ?? '';
  } else s.id = '';
  return s;
}

function showForm(s) {
  const entries = platforms.map((p) => [p.id, `${p.name} (${p.id.toUpperCase()})`]);
  if (platforms.length > 1) entries.push([BOTH, 'Both platforms']);
  options($('platform'), entries, s.platform);
  const both = s.platform === BOTH;
  options($('scope'), Object.entries(SCOPES).map(([k, text]) => [k, text, both && k !== 'platform']), s.scope);
  $('scope').disabled = both;
  const idField = $('id').closest('.field');
  idField.hidden = s.scope === 'platform';
  if (s.scope !== 'platform') {
    const ids = platforms.find((p) => p.id === s.platform)?.[COLLECTION[s.scope]] ?? [];
    idField.querySelector('label').textContent = s.scope === 'team' ? 'Team' : 'Queue (TaskQueue Sid)';
    options($('id'), ids.length ? ids.map((x) => [x, x]) : [['', s.scope === 'team' ? 'No team seen yet' : 'No queue seen yet', true]], s.id);
    if (s.id && !ids.includes(s.id)) { $('id').prepend(el('option', { value: s.id }, s.id)); $('id').value = s.id; }
  }
  $('from').value = s.from; $('to').value = s.to;
  options($('interval'), Object.keys(INTERVALS).map((k) => [k, k === 'day' ? 'Day' : k === 'week' ? 'Week (ISO, from Monday)' : 'Month']), s.interval);
}

// ---- loading the report ----
function apply(s, push) {
  const url = location.pathname + query(s);
  if (push && url !== location.pathname + location.search) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
  showForm(s);
  load(s);
}

function setStatus(state, text) {
  const status = $('report-status');
  status.dataset.state = state;
  status.textContent = text;
  $('report').setAttribute('aria-busy', state === 'loading' ? 'true' : 'false');
}

function what(platform, s) {
  return s.scope === 'platform' ? `platform '${platform}'` : `${s.scope} '${s.id}' on platform '${platform}'`;
}

function message(e, platform, s) {
  if (!(e instanceof ApiError)) return `The engine could not be reached: ${e?.message ?? e}`;
  if (e.status === 400) return `This report cannot be made: ${e.message}.`;
  if (e.status === 403) return `Not allowed: this sign-in may not read ${what(platform, s)}${s.scope === 'platform' ? ': choose a team or a queue' : ''}.`;
  if (e.status === 404) return `Not found: ${e.message}.`;
  return `The engine answered ${e.status}: ${e.message}`;
}

async function load(s) {
  const mine = ++sequence;
  for (const c of charts) c.destroy();
  charts = [];
  const shown = shownPlatforms(s);
  $('report').replaceChildren();
  $('report-alert').replaceChildren();
  $('report-alert').hidden = true;
  if (shown.length === 0) {
    showAlert([`Platform '${s.platform}' is not one this sign-in may see: choose one from the list.`]);
    setStatus('error', '');
    return;
  }
  if (s.scope !== 'platform' && !s.id) {
    setStatus('done', '');
    $('report').append(el('p', { class: 'note' }, `No ${s.scope} has been seen on this platform yet.`));
    return;
  }
  setStatus('loading', 'Loading report…');
  const results = await Promise.allSettled(shown.map((p) => getJson(reportUrl(p.id, s, 'json'))));
  if (mine !== sequence) return; // a newer report was asked for meanwhile
  if (results.some((r) => r.status === 'rejected' && r.reason instanceof ApiError && r.reason.status === 401)) {
    location.assign(signInUrl());
    return;
  }
  const problems = [];
  const sections = [];
  results.forEach((r, i) => {
    const p = shown[i];
    if (r.status === 'rejected') problems.push([p, message(r.reason, p.id, s)]);
    else sections.push(() => section(p, s, r.value, s.platform === BOTH));
  });
  // The same complaint about both platforms (bad dates) is said once.
  const texts = [...new Set(problems.map(([, t]) => t))];
  if (texts.length) showAlert(texts.length === 1 && problems.length === shown.length ? texts : problems.map(([p, t]) => `${p.name}: ${t}`));
  if (sections.length) await uplotReady();
  if (mine !== sequence) return;
  for (const make of sections) $('report').append(make());
  for (const make of pendingCharts.splice(0)) make();
  setStatus(problems.length ? 'error' : 'done', sections.length ? `Report: ${describe(s)}.` : '');
  if (sections.length) updated();
}

function showAlert(texts) {
  const box = $('report-alert');
  box.hidden = false;
  box.replaceChildren(...texts.map((t) => el('p', {}, t)));
}

function describe(s) {
  const scope = s.scope === 'platform' ? 'platform totals' : `${s.scope} ${s.id}`;
  const range = s.from && s.to ? span(utcDate(s.from), utcDate(s.to)) : `${s.from} to ${s.to}`;
  return `${scope}, per ${s.interval}, ${range}`;
}

// ---- one platform's report: heading, CSV link, charts, table ----
function supportTypes(p, snapshots) {
  const seen = new Set();
  for (const m of snapshots) for (const t of Object.keys(m.bySupportType ?? {})) seen.add(t);
  return [...(p.supportTypes ?? []).filter((t) => seen.has(t)), ...[...seen].filter((t) => !(p.supportTypes ?? []).includes(t))];
}

const typeName = (t) => t.replaceAll('_', ' ');

function section(p, s, snapshots, both) {
  const prefix = `${both ? p.id + ':' : ''}${s.scope}/report`;
  const tableId = `report-table-${p.id}`;
  const headingId = `report-heading-${p.id}`;
  const types = supportTypes(p, snapshots);
  const labels = snapshots.map((m) => windowLabel(m.window.name));
  const scopeText = s.scope === 'platform' ? 'platform totals' : s.scope === 'team' ? `team ${s.id}` : `queue ${s.id}`;
  const csv = el('a', { class: 'button download', href: reportUrl(p.id, s, 'csv'), download: `${p.id}-${s.scope}${s.id ? '-' + s.id : ''}-${s.from}-${s.to}-${s.interval}.csv`, 'data-platform': p.id },
    'Download CSV', el('span', { class: 'visually-hidden' }, ` of ${p.name}, ${describe(s)}`));
  const head = el('div', { class: 'report-head' }, el('h2', { id: headingId }, `${p.name} · ${scopeText}`), csv);

  const chartBox = el('div', { class: 'charts' });
  const range = describe(s);
  chartFigure(chartBox, `Contacts offered by support type, per ${s.interval}`, tableId,
    `Line chart of contacts offered per ${s.interval} for each support type, ${p.name}, ${range}. ${volumeSummary(snapshots, types, labels)} The figures are in the table below.`,
    types.map((t, i) => ({ label: typeName(t), colour: TYPE_COLOURS[t] ?? SPARE_COLOURS[i % SPARE_COLOURS.length], dash: DASHES[i % DASHES.length], values: snapshots.map((m) => m.bySupportType[t]?.offered ?? null) })),
    labels, count);
  chartFigure(chartBox, `Wait time p50 and p90, per ${s.interval}`, tableId,
    `Line chart of the median (p50) and 90th percentile (p90) wait before an answer per ${s.interval}, ${p.name}, ${range}. ${durationSummary(snapshots, 'waitSeconds', labels)} The figures are in the table below.`,
    [P50, P90].map((x) => ({ ...x, values: snapshots.map((m) => m.totals.waitSeconds[x.label]) })), labels, duration);
  chartFigure(chartBox, `Handle time p50 and p90, per ${s.interval}`, tableId,
    `Line chart of the median (p50) and 90th percentile (p90) handle time (talk and wrap-up) per ${s.interval}, ${p.name}, ${range}. ${durationSummary(snapshots, 'handleSeconds', labels)} The figures are in the table below.`,
    [P50, P90].map((x) => ({ ...x, values: snapshots.map((m) => m.totals.handleSeconds[x.label]) })), labels, duration);

  const table = reportTable(p, s, snapshots, types, labels, prefix, tableId);
  const wrap = el('div', { class: 'table-wrap', role: 'region', 'aria-label': `Report table, ${p.name}`, tabindex: '0' }, table);
  return el('section', { class: 'report-platform', 'data-platform': p.id, 'aria-labelledby': headingId }, head, chartBox, wrap);
}

function reportTable(p, s, snapshots, types, labels, prefix, tableId) {
  const th = (text, attrs = {}) => el('th', { scope: 'col', ...attrs }, text);
  const head1 = el('tr', {}, el('td', { colspan: '2' }), el('th', { scope: 'colgroup', colspan: '4' }, 'Contacts'),
    el('th', { scope: 'colgroup', colspan: '3', class: 'group' }, 'Wait'), el('th', { scope: 'colgroup', colspan: '3', class: 'group' }, 'Handle time'),
    el('th', { scope: 'colgroup', colspan: '3', class: 'group' }, 'Offers to agents'));
  const head2 = el('tr', {}, th(s.interval === 'day' ? 'Day' : s.interval === 'week' ? 'Week' : 'Month'), th('Support type'),
    ...COLUMNS.map(([path, text], i) => th(path === 'timeoutRate' ? el('abbr', { title: 'Reservation not accepted (timed out)' }, text) : text, { class: i === 4 || i === 7 || i === 10 ? 'group' : null })));
  const bodies = snapshots.map((m, i) => {
    const rows = [['totals', 'All'], ...types.map((t) => [`bySupportType.${t}`, typeName(t)])];
    return el('tbody', { 'data-window': m.window.name }, ...rows.map(([base, name], r) => {
      const values = base === 'totals' ? m.totals : m.bySupportType[base.slice('bySupportType.'.length)];
      const cells = [];
      if (r === 0) {
        cells.push(el('th', { scope: 'rowgroup', rowspan: String(rows.length), class: 'interval' },
          el('span', { 'data-metric': `${prefix}/${i}.window.name`, 'data-value': m.window.name }, labels[i].long)));
      }
      cells.push(el('th', { scope: 'row' }, name));
      COLUMNS.forEach(([path, , format, measure, spoken], c) => {
        const v = path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), values);
        cells.push(el('td', { class: c === 4 || c === 7 || c === 10 ? 'group' : null }, figure(`${prefix}/${i}.${base}.${path}`, v, format, `${labels[i].long}, ${name}, ${spoken}`, typeof measure === 'string' ? (p.thresholds?.[measure] ?? null) : measure)));
      });
      return el('tr', { class: base === 'totals' ? 'total' : null }, ...cells);
    }));
  });
  return el('table', { class: 'report-table', id: tableId },
    el('caption', {}, `${p.name}: ${describe(s)}. Rates are of offers to agents (reject, RONA) and of handled contacts (transfer).`),
    el('thead', {}, head1, head2), ...bodies);
}

function volumeSummary(snapshots, types, labels) {
  const totals = snapshots.map((m) => m.totals.offered);
  const all = totals.reduce((a, b) => a + b, 0);
  if (all === 0) return 'No contact was offered.';
  const top = totals.indexOf(Math.max(...totals));
  const byType = types.map((t) => [t, snapshots.reduce((a, m) => a + (m.bySupportType[t]?.offered ?? 0), 0)]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return `${all} offered in all, most in ${labels[top].long} (${totals[top]}); by type: ${byType.map(([t, n]) => `${typeName(t)} ${n}`).join(', ')}.`;
}

function durationSummary(snapshots, key, labels) {
  const p90 = snapshots.map((m) => m.totals[key].p90);
  const known = p90.filter((x) => x !== null && x !== undefined);
  if (known.length === 0) return 'No contact in this range had one.';
  const top = p90.indexOf(Math.max(...known));
  return `Highest p90 ${duration(p90[top])} (minutes:seconds) in ${labels[top].long}.`;
}

// ---- charts (uPlot, loaded on first use) ----
let uplotLoading;
function uplotReady() {
  if (window.uPlot) return Promise.resolve();
  uplotLoading ??= new Promise((resolve, reject) => {
    const s = el('script', { src: '/assets/lib/uPlot.iife.min.js' });
    s.addEventListener('load', resolve);
    s.addEventListener('error', () => reject(new Error('the chart library did not load')));
    document.head.append(s);
  });
  return uplotLoading;
}

const pendingCharts = [];

// A chart as an image with a name and a description, pointing at the table that holds its figures; drawn once in the page.
function chartFigure(container, title, tableId, description, series, labels, format) {
  const id = `chart-${container.childElementCount}-${tableId}`;
  const plot = el('div', { class: 'plot', role: 'img', 'aria-label': `${title}. ${description}`, 'aria-describedby': tableId, id });
  const legend = el('ul', { class: 'legend' + (format === count ? ' types' : ''), 'aria-hidden': 'true' }, ...series.map((x) => {
    const swatch = el('span', { class: 'swatch' });
    swatch.style.borderTopColor = x.colour;
    swatch.style.borderTopStyle = x.dash.length ? 'dashed' : 'solid';
    return el('li', {}, swatch, x.label);
  }));
  const empty = series.every((x) => x.values.every((v) => v === null || v === undefined || v === 0));
  const fig = el('figure', { class: 'chart' }, el('figcaption', {}, title), empty ? el('p', { class: 'empty' }, 'Nothing in this range.') : null, plot, legend);
  container.append(fig);
  pendingCharts.push(() => draw(plot, series, labels, format));
  return fig;
}

function draw(plot, series, labels, format) {
  const css = getComputedStyle(document.documentElement);
  const muted = css.getPropertyValue('--muted').trim() || '#b8c2cc';
  const font = `14px ${getComputedStyle(document.body).fontFamily}`;
  const xs = labels.map((_, i) => i);
  const axis = { stroke: muted, font, grid: { stroke: 'rgba(184,194,204,0.18)', width: 1 }, ticks: { stroke: 'rgba(184,194,204,0.35)', width: 1 } };
  const max = Math.max(0, ...series.flatMap((x) => x.values.filter((v) => v !== null && v !== undefined)));
  const size = () => ({ width: Math.max(200, plot.clientWidth), height: 220 });
  const opts = {
    ...size(),
    legend: { show: false },
    cursor: { points: { size: 8 } },
    scales: { x: { time: false, range: [-0.25, Math.max(0.25, labels.length - 0.75)] }, y: { range: [0, max > 0 ? max * 1.1 : format === count ? 4 : 60] } },
    axes: [
      // As many interval labels as fit the width (about 80 px each), recounted when the chart is resized.
      { ...axis, splits: (u) => { const every = Math.ceil(xs.length / Math.max(2, Math.floor((u.over?.clientWidth || u.width) / 80))); return xs.filter((i) => i % every === 0); },
        values: (u, splits) => splits.map((i) => labels[i]?.short ?? '') },
      { ...axis, size: 60, incrs: format === count ? COUNT_STEPS : DURATION_STEPS, values: (u, splits) => splits.map((v) => (format === count ? String(v) : duration(v))) },
    ],
    series: [{}, ...series.map((x) => ({ label: x.label, stroke: x.colour, width: 2, dash: x.dash, spanGaps: true, points: { show: labels.length <= 40, size: 6, fill: x.colour } }))],
  };
  const u = new uPlot(opts, [xs, ...series.map((x) => x.values.map((v) => (v === undefined ? null : v)))], plot);
  new ResizeObserver(() => { if (plot.clientWidth && Math.abs(plot.clientWidth - u.width) > 1) u.setSize(size()); }).observe(plot);
  charts.push(u);
}

// ---- the page ----
async function main() {
  $('title').textContent = 'Reports';
  $('connection').textContent = '';
  $('updated').textContent = '';
  try { platforms = await getJson('/api/platforms'); } catch (e) {
    if (e instanceof ApiError && e.status === 401) { location.assign(signInUrl()); return; }
    throw e;
  }
  const app = $('app');
  if (platforms.length === 0) {
    app.replaceChildren(el('p', { class: 'problem', role: 'alert' }, 'No platform is granted to this sign-in.'));
    return;
  }
  app.replaceChildren(
    el('p', { class: 'nav' }, el('a', { href: '/' }, 'Home')),
    buildForm(),
    el('div', { id: 'report-alert', class: 'report-alert', role: 'alert', hidden: '' }),
    el('p', { id: 'report-status', class: 'report-status', role: 'status', 'aria-live': 'polite' }),
    el('div', { id: 'report', class: 'report', 'aria-busy': 'false' }));
  if (!new URLSearchParams(location.search).has('scope')) await preferReadableScope();
  addEventListener('popstate', () => { const s = readState(); showForm(s); load(s); });
  apply(readState(), false);
}

main().catch((e) => {
  $('app').replaceChildren(el('p', { class: 'problem', role: 'alert' }, String(e?.message ?? e)));
  $('connection').textContent = '';
});

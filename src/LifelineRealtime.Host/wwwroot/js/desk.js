// The team leader's view and the agent's view: one scope in any window, live from the hub.
// Figures carry data-metric="<scope>/<answer>/<path>", where answer names the API read the value is in:
//   a window name (15m, today, day:2026-12-06, …)  GET {scope}/metrics?window=W
//   live                                           GET {scope}/live
//   logged:W                                       GET {scope}/logged-status?window=W
//   timeline:W                                     GET {platform}/workers/{sid}/timeline?window=W
// and data-value holds that value exactly.
import { $, el, figure, count, percent, duration, updated, connectHub, getJson, ApiError, signInUrl } from './common.js';

export const WINDOW_KINDS = [
  ['15m', 'Last 15 minutes'], ['1h', 'Last hour'], ['today', 'Today'],
  ['day', 'A day'], ['week', 'A week'], ['month', 'A month'], ['range', 'A date range'],
];

// "day:2026-12-06" → { kind: 'day', a: '2026-12-06' }; "range:a..b" → { kind: 'range', a, b }.
export function parseWindow(name) {
  const [kind, rest] = name.includes(':') ? [name.slice(0, name.indexOf(':')), name.slice(name.indexOf(':') + 1)] : [name, ''];
  const [a, b] = kind === 'range' ? rest.split('..') : [rest, ''];
  return { kind, a: a ?? '', b: b ?? '' };
}

export function windowName(kind, a, b) {
  if (kind === 'range') return `range:${a}..${b}`;
  return ['day', 'week', 'month'].includes(kind) ? `${kind}:${a}` : kind;
}

export function windowLabel(name) {
  const w = parseWindow(name);
  const fixed = Object.fromEntries(WINDOW_KINDS);
  if (w.kind === 'range') return `${w.a} to ${w.b}`;
  if (w.kind === 'day' || w.kind === 'week' || w.kind === 'month') return w.a;
  return fixed[w.kind] ?? name;
}

function localToday() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// The window picker: a labelled select and the inputs its kind needs; submitting calls onChange(windowName).
export function windowPicker(current, onChange) {
  const w = parseWindow(current);
  const today = localToday();
  const kind = el('select', { id: 'window-kind', name: 'kind' }, ...WINDOW_KINDS.map(([k, label]) => {
    const o = el('option', { value: k }, label);
    if (k === w.kind) o.selected = true;
    return o;
  }));
  const input = (id, type, label, value) => el('label', { class: 'pick', 'data-for': id.split('-')[1] }, label + ' ',
    el('input', { id, type, value, required: 'required' }));
  const day = input('window-day', 'date', 'Day', w.kind === 'day' ? w.a : today);
  const week = input('window-week', 'week', 'Week', w.kind === 'week' ? w.a : '');
  const month = input('window-month', 'month', 'Month', w.kind === 'month' ? w.a : today.slice(0, 7));
  const from = input('window-from', 'date', 'From', w.kind === 'range' ? w.a : today);
  const to = input('window-to', 'date', 'To', w.kind === 'range' ? w.b : today);
  const extras = { day: [day], week: [week], month: [month], range: [from, to] };
  const show = () => {
    for (const [k, labels] of Object.entries(extras)) for (const l of labels) {
      l.hidden = k !== kind.value;
      l.querySelector('input').disabled = k !== kind.value;
    }
  };
  kind.addEventListener('change', show);
  show();
  const form = el('form', { class: 'picker', 'aria-label': 'Window' },
    el('label', { for: 'window-kind' }, 'Window '), kind, day, week, month, from, to,
    el('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = (id) => $(id).value;
    const k = kind.value;
    const name = k === 'day' ? windowName(k, v('window-day')) : k === 'week' ? windowName(k, v('window-week'))
      : k === 'month' ? windowName(k, v('window-month')) : k === 'range' ? windowName(k, v('window-from'), v('window-to')) : k;
    onChange(name);
  });
  return form;
}

// Activities keep one colour each on every bar and timeline of the page; a legend and the tables name them too.
const PALETTE = ['#4ade80', '#60a5fa', '#facc15', '#f472b6', '#a78bfa', '#fb923c', '#2dd4bf', '#e5e7eb'];
const colours = new Map([['Available', PALETTE[0]], ['Busy', PALETTE[1]], ['Break', PALETTE[2]], ['Offline', '#6b7280']]);
export function colourOf(activity) {
  if (!colours.has(activity)) colours.set(activity, PALETTE[colours.size % PALETTE.length]);
  return colours.get(activity);
}

// Logged status gives shares in percent (0–100), not fractions.
export const share = (x) => (x === null || x === undefined ? '–' : `${Number(x.toFixed(1))}%`);

// A stacked bar of logged-in shares: each part is a figure of its percent; the bar as a whole is labelled for screen readers.
// prefix ends where the answer's "activities" starts: "team/logged:today/" or "team/logged:today/workers[workerSid=WK…].".
export function stackedBar(prefix, activities, who) {
  const parts = Object.entries(activities ?? {}).filter(([, a]) => a.percent !== null && a.percent > 0);
  const label = parts.length ? `${who} logged status: ` + parts.map(([n, a]) => `${n} ${share(a.percent)}`).join(', ') : `${who}: not logged in`;
  const bar = el('span', { class: 'stack', role: 'img', 'aria-label': label });
  for (const [name, a] of parts) {
    const seg = el('span', { class: 'seg', 'data-metric': `${prefix}activities.${name}.percent`, 'data-value': a.percent, title: `${name} ${share(a.percent)}` },
      a.percent >= 12 ? `${name} ${share(a.percent)}` : '');
    seg.style.width = `${a.percent}%`;
    seg.style.background = colourOf(name);
    bar.append(seg);
  }
  return bar;
}

export function legend(names) {
  return el('ul', { class: 'legend', 'aria-hidden': 'true' }, ...names.map((n) => {
    const sw = el('span', { class: 'swatch' });
    sw.style.background = colourOf(n);
    return el('li', {}, sw, n);
  }));
}

// Reservation-side counts and durations, and the rates, per support type and in total.
const MEASURES = [
  ['reservations', 'Offers', count], ['handled', 'Handled', count], ['rejected', 'Rejected', count],
  ['timedOut', 'RONA', count], ['transferred', 'Transferred', count],
  ['talkSeconds.avg', 'Avg talk', duration], ['wrapSeconds.avg', 'Avg wrap', duration],
  ['handleSeconds.avg', 'Avg handle', duration], ['handleSeconds.p90', 'Handle p90', duration],
  ['rejectRate', 'Reject rate', percent, 'rejectRate'], ['timeoutRate', 'RONA rate', percent, 'timeoutRate'],
  ['transferRate', 'Transfer rate', percent, 'transferRate'],
];

// thresholds: the platform's `thresholds` from GET /api/platforms.
export function metricsTable(scope, metrics, thresholds) {
  const w = metrics.window.name;
  const head = el('tr', {}, el('th', { scope: 'col' }, 'Support type'), ...MEASURES.map(([, label]) => el('th', { scope: 'col' }, label)));
  const row = (label, path, values, cls) => el('tr', { class: cls ?? '' }, el('th', { scope: 'row' }, label),
    ...MEASURES.map(([p, name, format, measure]) => {
      const v = p.split('.').reduce((o, k) => o?.[k], values);
      return el('td', {}, figure(`${scope}/${w}/${path}.${p}`, v, format, `${label} ${name}`, measure ? thresholds?.[measure] ?? null : null));
    }));
  const rows = Object.entries(metrics.bySupportType).map(([t, v]) => row(t.replaceAll('_', ' '), `bySupportType.${t}`, v));
  rows.push(row('All', 'totals', metrics.totals, 'total'));
  return el('table', { class: 'measures' }, el('caption', {}, `Offers and handling by support type · ${windowLabel(w)}`),
    el('thead', {}, head), el('tbody', {}, ...rows));
}

// Seconds and share per activity, as a table (the stacked bar's alternative).
export function activitiesTable(scope, logged, window) {
  const base = `${scope}/logged:${window}`;
  const rows = Object.entries(logged.activities).map(([name, a]) => {
    const sw = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    sw.style.background = colourOf(name);
    return el('tr', {}, el('th', { scope: 'row' }, sw, name),
      el('td', {}, figure(`${base}/activities.${name}.seconds`, a.seconds, duration, `${name} time`)),
      el('td', {}, figure(`${base}/activities.${name}.percent`, a.percent, share, `${name} share of logged-in time`)));
  });
  rows.push(el('tr', { class: 'total' }, el('th', { scope: 'row' }, 'Logged in'),
    el('td', {}, figure(`${base}/loggedInSeconds`, logged.loggedInSeconds, duration, 'Logged-in time')), el('td')));
  return el('table', { class: 'activities' }, el('caption', {}, `Logged status · ${windowLabel(window)}`),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Activity'), el('th', { scope: 'col' }, 'Time'), el('th', { scope: 'col' }, 'Share'))),
    el('tbody', {}, ...rows));
}

export function apiBase(platform, kind, id) {
  return `/api/platforms/${encodeURIComponent(platform)}/${kind === 'team' ? 'teams' : 'workers'}/${encodeURIComponent(id)}`;
}

// Reads that fail say why in the page; a sign-in that lapsed goes back to sign-in.
export async function read(url) {
  try { return await getJson(url); } catch (e) {
    if (e instanceof ApiError && e.status === 401) { location.assign(signInUrl()); }
    throw e;
  }
}

// One scope's view: the window from ?window= (default today), the hub subscription for it, HTTP reads for the rest.
export class Desk {
  constructor({ platform, kind, id, render, extraReads }) {
    Object.assign(this, { platform, kind, id, renderView: render, extraReads: extraReads ?? (() => ({})) });
    this.window = new URLSearchParams(location.search).get('window') || 'today';
    this.metrics = null; this.live = null; this.liveAt = 0; this.extra = {}; this.error = null;
    this.refreshing = null; this.lastRefresh = 0;
  }

  async start() {
    // The platform's colour thresholds (the list holds only what this person may see).
    this.thresholds = (await read('/api/platforms')).find((p) => p.id === this.platform)?.thresholds ?? null;
    this.hub = connectHub(() => [[this.platform, this.kind, this.id, this.window]], {
      Snapshot: (m) => this.onMetrics(m),
      Updated: (m) => this.onMetrics(m),
      LiveChanged: (l) => this.onLive(l),
      Failed: (e) => this.fail(e),
    });
    await this.refresh(true);
    setInterval(() => this.tick(), 1000);
    // Logged status and the timeline count up with time: read them again every half minute even when nothing happens.
    setInterval(() => this.refresh(false), 30000);
  }

  async setWindow(name) {
    const old = this.window;
    if (name === old) return;
    this.window = name;
    const url = new URL(location.href);
    url.searchParams.set('window', name);
    history.replaceState(null, '', url);
    this.metrics = null;
    try {
      await this.refresh(true);
      if (this.hub.state === 'Connected') {
        await this.hub.invoke('Unsubscribe', this.platform, this.kind, this.id, old);
        await this.hub.invoke('Subscribe', this.platform, this.kind, this.id, name);
      }
    } catch (e) { this.fail(e); }
  }

  fail(e) {
    this.error = e instanceof ApiError ? `The engine answered ${e.status}: ${e.message}` : String(e?.message ?? e);
    this.render();
  }

  onMetrics(m) {
    if (m.scope !== this.kind || m.id !== this.id || m.window.name !== this.window) return;
    this.metrics = m;
    this.render();
    this.refresh(false);
  }

  onLive(l) {
    if (l.scope !== this.kind || l.id !== this.id) return;
    this.live = l; this.liveAt = performance.now();
    this.render();
    this.refresh(false);
  }

  // All reads of the window; at most one every 5 s unless forced (a window change, the first load).
  async refresh(force) {
    if (!force && (this.refreshing || performance.now() - this.lastRefresh < 5000)) return;
    const window = this.window;
    const base = apiBase(this.platform, this.kind, this.id);
    const reads = { logged: read(`${base}/logged-status?window=${encodeURIComponent(window)}`), ...this.extraReads(window) };
    if (force) { reads.metrics = read(`${base}/metrics?window=${encodeURIComponent(window)}`); reads.live = read(`${base}/live`); }
    this.refreshing = Promise.all(Object.entries(reads).map(async ([k, p]) => [k, await p]));
    try {
      const results = Object.fromEntries(await this.refreshing);
      if (window !== this.window) return;
      this.error = null;
      if (results.metrics) this.metrics = results.metrics;
      if (results.live && !this.live) { this.live = results.live; this.liveAt = performance.now(); }
      if (results.live && force) { this.live = results.live; this.liveAt = performance.now(); }
      this.extra = results;
      this.render();
    } catch (e) {
      if (window === this.window) this.fail(e);
    } finally {
      this.refreshing = null; this.lastRefresh = performance.now();
    }
  }

  render() {
    if (this.error) {
      $('view').replaceChildren(el('p', { class: 'problem', role: 'alert' }, this.error));
      return;
    }
    if (!this.metrics || !this.live || !this.extra.logged) return;
    $('view').replaceChildren(...this.renderView(this));
    this.tick();
    updated();
  }

  // Time in the current activity is as of the live answer's asOf: count it up between pushes.
  tick() {
    const since = this.live ? (performance.now() - this.liveAt) / 1000 : 0;
    for (const f of document.querySelectorAll('.tick')) {
      const v = f.dataset.value;
      if (v !== '') f.querySelector('.num').textContent = duration(Number(v) + since);
    }
  }
}

// The page's frame, built once: where it is, the window picker, and the view that every push renders again
// (so a half-filled picker is never thrown away).
export function frame(desk, crumbs) {
  const view = el('div', { id: 'view' });
  $('app').replaceChildren(el('nav', { class: 'crumbs', 'aria-label': 'Pages' }, el('a', { href: '/' }, 'Home'), ...crumbs.flatMap((c) => [' · ', c])),
    windowPicker(desk.window, (name) => desk.setWindow(name)), view);
  return view;
}

// One scope's wallboard: per support type waiting now, longest wait (ticking), and per window offered,
// handled, abandoned, service level and average wait; agents by activity; reject / RONA / transfer rates.
// Figures: data-metric="<scope>/<window>/<path>", window 15m or today (GET …/metrics?window=…) or live (GET …/live).
import { el, figure, count, percent, duration, read, updated, connectHub, getJson, ApiError, problem, signInUrl, $ } from './common.js';

export const WINDOWS = ['15m', 'today'];
const WINDOW_NAMES = { '15m': 'Last 15 min', today: 'Today' };

export function apiBase(platform, scope, id) {
  const p = `/api/platforms/${encodeURIComponent(platform)}`;
  return scope === 'platform' ? p : `${p}/${scope === 'team' ? 'teams' : 'queues'}/${encodeURIComponent(id)}`;
}

export class Board {
  constructor(container, platform, scope, id) {
    Object.assign(this, { container, platform, scope, id, metrics: {}, live: null, liveAt: 0, alerts: new Map() });
    container.dataset.platform = platform;
  }

  onSnapshot(m) {
    if (m.platform !== this.platform || m.scope !== this.scope) return;
    this.metrics[m.window.name === '15m' ? '15m' : 'today'] = m;
    this.render();
  }

  onLive(l) {
    if (l.platform !== this.platform || l.scope !== this.scope) return;
    this.live = l; this.liveAt = performance.now();
    this.render();
  }

  onAlert(a) {
    if (a.platform !== this.platform) return;
    if (a.state === 'raised') this.alerts.set(a.taskSid, { ...a, receivedAt: performance.now() }); else this.alerts.delete(a.taskSid);
  }

  types() {
    const m = this.metrics.today ?? this.metrics['15m'];
    const names = new Set(Object.keys(m?.bySupportType ?? {}));
    for (const t of Object.keys(this.live?.tasks?.bySupportType ?? {})) names.add(t);
    return [...names];
  }

  render() {
    if (!this.live && !this.metrics.today && !this.metrics['15m']) return;
    const s = this.scope;
    const th = (text, attrs = {}) => el('th', { scope: 'col', ...attrs }, text);
    const head1 = el('tr', {}, el('td'), el('th', { scope: 'colgroup', colspan: '2' }, 'Now'),
      ...WINDOWS.map((w) => el('th', { scope: 'colgroup', colspan: '5', class: 'win' }, WINDOW_NAMES[w])));
    const head2 = el('tr', {}, th('Support type'), th('Waiting'), th('Longest wait'),
      ...WINDOWS.flatMap(() => [th('Offered'), th('Handled'), th('Abandoned'), th('Service level'), th('Avg wait')]));
    const rows = [];
    const row = (label, livePath, metricsPath, cls) => {
      const cells = [el('th', { scope: 'row' }, label)];
      const lv = this.live ? read(this.live, livePath) : undefined;
      const waiting = livePath === 'tasks' ? this.live?.tasks?.waiting : lv?.waiting;
      cells.push(el('td', {}, figure(`${s}/live/${livePath}.waiting`, waiting, count, `${label} waiting now`)));
      if (livePath === 'tasks') {
        const longest = this.live?.longestWaiting?.[0]?.waitSeconds ?? null;
        const f = figure(`${s}/live/longestWaiting.0.waitSeconds`, longest, duration, `${label} longest wait`, 'longestWait');
        f.classList.add('tick'); cells.push(el('td', {}, f));
      } else {
        const f = figure(`${s}/live/${livePath}.longestWaitSeconds`, lv?.longestWaitSeconds ?? null, duration, `${label} longest wait`, 'longestWait');
        f.classList.add('tick'); cells.push(el('td', {}, f));
      }
      for (const w of WINDOWS) {
        const v = this.metrics[w] ? read(this.metrics[w], metricsPath) : undefined;
        const p = `${s}/${w}/${metricsPath}`;
        const name = `${label}, ${WINDOW_NAMES[w]}`;
        cells.push(
          el('td', { class: 'win' }, figure(`${p}.offered`, v?.offered, count, `${name} offered`)),
          el('td', {}, figure(`${p}.handled`, v?.handled, count, `${name} handled`)),
          el('td', {}, figure(`${p}.abandoned`, v?.abandoned, count, `${name} abandoned`)),
          el('td', {}, figure(`${p}.serviceLevel`, v?.serviceLevel, percent, `${name} service level`, 'serviceLevel')),
          el('td', {}, figure(`${p}.waitSeconds.avg`, v?.waitSeconds?.avg, duration, `${name} average wait`, 'avgWait')));
      }
      rows.push(el('tr', { class: cls ?? '' }, ...cells));
    };
    for (const t of this.types()) row(t.replaceAll('_', ' '), `tasks.bySupportType.${t}`, `bySupportType.${t}`);
    row('All', 'tasks', 'totals', 'total');
    const table = el('table', { class: 'types' }, el('caption', {}, 'Contacts by support type'), el('thead', {}, head1, head2), el('tbody', {}, ...rows));

    const rates = el('table', { class: 'rates' }, el('caption', {}, 'Offers to agents'),
      el('thead', {}, el('tr', {}, el('td'), ...['Reject', 'RONA', 'Transfer'].map((x) => th(x)))),
      el('tbody', {}, ...WINDOWS.map((w) => el('tr', {}, el('th', { scope: 'row' }, WINDOW_NAMES[w]),
        ...[['rejectRate', 'reject rate'], ['timeoutRate', 'RONA rate'], ['transferRate', 'transfer rate']].map(([k, label]) =>
          el('td', {}, figure(`${s}/${w}/totals.${k}`, this.metrics[w]?.totals?.[k], percent, `${WINDOW_NAMES[w]} ${label}`, k)))))));

    const agents = el('section', { class: 'agents', 'aria-label': 'Agents by activity' }, el('h2', {}, 'Agents'));
    for (const a of this.live?.workers ?? []) {
      const base = `${s}/live/workers[activity=${a.activity}]`;
      const members = a.members.slice(0, 4).map((m) => {
        const f = figure(`${base}.members[workerSid=${m.workerSid}].secondsInActivity`, m.secondsInActivity, duration, `${m.name ?? m.workerSid} in ${a.activity}`);
        f.classList.add('tick');
        return el('li', {}, el('span', { class: 'who' }, m.name ?? m.workerSid), ' ', f);
      });
      agents.append(el('div', { class: 'activity' }, el('h3', {}, a.activity, ' ', figure(`${base}.workers`, a.workers, count, `${a.activity} agents`)), el('ul', {}, ...members)));
    }
    if (!(this.live?.workers?.length)) agents.append(el('p', { class: 'note' }, 'No agents logged in.'));

    this.container.replaceChildren(table, el('div', { class: 'side' }, rates, agents));
    this.tick();
    updated();
  }

  // Ages are as of the live answer's asOf: count them up between pushes.
  tick() {
    const since = this.live ? (performance.now() - this.liveAt) / 1000 : 0;
    for (const f of this.container.querySelectorAll('.tick')) {
      const v = f.dataset.value;
      if (v !== '') f.querySelector('.num').textContent = duration(Number(v) + since);
    }
  }
}

// The urgent banner over every board of the page, with an optional sound (?sound=1).
export function banner(boards) {
  const sound = new URLSearchParams(location.search).get('sound') === '1';
  let beeping = false;
  setInterval(() => {
    const raised = boards.flatMap((b) => [...b.alerts.values()]);
    const box = $('urgent');
    document.body.classList.toggle('has-urgent', raised.length > 0);
    if (raised.length === 0) { box.hidden = true; box.replaceChildren(); beeping = false; return; }
    const now = performance.now();
    box.hidden = false;
    box.replaceChildren(el('strong', {}, '⚠ URGENT '), ...raised.slice(0, 4).map((a) =>
      el('span', { class: 'alert-item', 'data-task': a.taskSid }, `${a.platform.toUpperCase()} ${a.supportType} contact waiting ${duration(a.waitSeconds + (now - a.receivedAt) / 1000)}`)),
      raised.length > 4 ? el('span', {}, ` and ${raised.length - 4} more`) : null);
    if (sound && !beeping) { beeping = true; beep(); }
  }, 1000);
}

function beep() {
  try {
    const ctx = new AudioContext(); const o = ctx.createOscillator(); o.frequency.value = 880;
    o.connect(ctx.destination); o.start(); o.stop(ctx.currentTime + 0.6);
  } catch { /* no audio device */ }
}

// Reads the scope first over HTTP, so a screen says clearly when it may not show it; then the hub.
export async function checkAccess(platform, scope, id) {
  try {
    await getJson(`${apiBase(platform, scope, id)}/live`);
    return true;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 401) { location.assign(signInUrl()); return false; }
    const what = scope === 'platform' ? `platform '${platform}'` : `${scope} '${id}' on platform '${platform}'`;
    problem(e.status === 403 ? `Not allowed: this screen's sign-in may not show ${what}.`
      : e.status === 404 ? `Not found: ${what} does not exist or is not granted to this sign-in.` : `The engine answered ${e.status}: ${e.message}`);
    return false;
  }
}

export function run(boards) {
  const subs = boards.flatMap((b) => WINDOWS.map((w) => [b.platform, b.scope, b.scope === 'platform' ? b.platform : b.id, w]));
  connectHub(subs, {
    Snapshot: (m) => boards.forEach((b) => b.onSnapshot(m)),
    Updated: (m) => boards.forEach((b) => b.onSnapshot(m)),
    LiveChanged: (l) => boards.forEach((b) => b.onLive(l)),
    Alert: (a) => boards.forEach((b) => b.onAlert(a)),
    Resubscribing: () => boards.forEach((b) => b.alerts.clear()),
    Failed: (e) => problem(String(e?.message ?? e)),
  });
  banner(boards);
  setInterval(() => boards.forEach((b) => b.tick()), 1000);
}

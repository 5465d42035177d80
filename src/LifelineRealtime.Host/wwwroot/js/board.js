// One scope's wallboard: per support type waiting now, longest wait (ticking), and per window offered,
// handled, abandoned, service level and average wait; agents by activity; reject / RONA / transfer rates.
// Figures: data-metric="<scope>/<window>/<path>", window 15m or today (GET …/metrics?window=…) or live (GET …/live).
import { el, figure, count, percent, duration, read, updated, connectHub, getJson, ApiError, problem, signInUrl, $ } from './common.js';
import { level, thresholdsOf } from './thresholds.js';

export const WINDOWS = ['15m', 'today'];
const WINDOW_NAMES = { '15m': 'Last 15 min', today: 'Today' };

export function apiBase(platform, scope, id) {
  const p = `/api/platforms/${encodeURIComponent(platform)}`;
  return scope === 'platform' ? p : `${p}/${scope === 'team' ? 'teams' : 'queues'}/${encodeURIComponent(id)}`;
}

export class Board {
  // thresholds: the platform's `thresholds` from GET /api/platforms (each platform colours by its own).
  // compact: a board beside another (both platforms), half a screen wide.
  constructor(container, platform, scope, id, thresholds, compact = false) {
    Object.assign(this, { container, platform, scope, id, compact, metrics: {}, live: null, liveAt: 0, alerts: new Map(), t: thresholdsOf({ thresholds }) });
    container.dataset.platform = platform;
    // The agents box shows as many people as fit: fit again whenever its room changes (the banner, a resize).
    this.resize = new ResizeObserver(() => this.fitAgents());
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
    // A column header has a short form for narrow boards (both platforms side by side); CSS shows one of them.
    const th = (text, short) => el('th', { scope: 'col' }, ...(short
      ? [el('span', { class: 'long' }, text), el('abbr', { class: 'short', title: text }, short)] : [text]));
    const t = this.t;
    // Rows: every support type, then all together. Column groups: now (live), then each window.
    const rows = this.types().map((type) => ({ label: type.replaceAll('_', ' '), livePath: `tasks.bySupportType.${type}`, metricsPath: `bySupportType.${type}`, type }));
    rows.push({ label: 'All', livePath: 'tasks', metricsPath: 'totals', cls: 'total' });
    const now = {
      name: 'Now', heads: [['Waiting', 'Wait'], ['Longest wait', 'Longest']],
      cells: ({ label, livePath, type }) => {
        const lv = this.live ? read(this.live, livePath) : undefined;
        const all = livePath === 'tasks';
        const waiting = all ? this.live?.tasks?.waiting : lv?.waiting;
        const longest = all
          ? figure(`${s}/live/longestWaiting.0.waitSeconds`, this.live?.longestWaiting?.[0]?.waitSeconds ?? null, duration, `${label} longest wait`, this.worstLongestWait())
          : figure(`${s}/live/${livePath}.longestWaitSeconds`, lv?.longestWaitSeconds ?? null, duration, `${label} longest wait`, t.longestWait(type));
        longest.classList.add('tick');
        return [el('td', {}, figure(`${s}/live/${livePath}.waiting`, waiting, count, `${label} waiting now`)), el('td', {}, longest)];
      },
    };
    const windowGroup = (w) => ({
      name: WINDOW_NAMES[w], cls: 'win', heads: [['Offered', 'Off'], ['Handled', 'Hdl'], ['Abandoned', 'Abn'], ['Service level', 'SL'], ['Avg wait', 'Avg']],
      cells: ({ label, metricsPath }) => {
        const v = this.metrics[w] ? read(this.metrics[w], metricsPath) : undefined;
        const p = `${s}/${w}/${metricsPath}`;
        const name = `${label}, ${WINDOW_NAMES[w]}`;
        return [
          el('td', { class: 'win' }, figure(`${p}.offered`, v?.offered, count, `${name} offered`)),
          el('td', {}, figure(`${p}.handled`, v?.handled, count, `${name} handled`)),
          el('td', {}, figure(`${p}.abandoned`, v?.abandoned, count, `${name} abandoned`)),
          el('td', {}, figure(`${p}.serviceLevel`, v?.serviceLevel, percent, `${name} service level`, t.measure('serviceLevel'))),
          el('td', {}, figure(`${p}.waitSeconds.avg`, v?.waitSeconds?.avg, duration, `${name} average wait`, t.measure('avgWait')))];
      },
    });
    const typesTable = (groups, caption) => el('table', { class: 'types' }, el('caption', {}, caption),
      el('thead', {},
        el('tr', {}, el('td'), ...groups.map((g) => el('th', { scope: 'colgroup', colspan: String(g.heads.length), class: g.cls ?? null }, g.name))),
        el('tr', {}, th('Support type', 'Type'), ...groups.flatMap((g) => g.heads.map(([long, short]) => th(long, short))))),
      el('tbody', {}, ...rows.map((r) => el('tr', { class: r.cls ?? null }, el('th', { scope: 'row' }, r.label), ...groups.flatMap((g) => g.cells(r))))));
    // Side by side with another platform the board is half as wide: the windows go one under the other.
    const tables = this.compact
      ? [typesTable([now, windowGroup(WINDOWS[0])], `Contacts by support type: now and ${WINDOW_NAMES[WINDOWS[0]].toLowerCase()}`),
        ...WINDOWS.slice(1).map((w) => typesTable([windowGroup(w)], `Contacts by support type: ${WINDOW_NAMES[w].toLowerCase()}`))]
      : [typesTable([now, ...WINDOWS.map(windowGroup)], 'Contacts by support type')];

    const rates = el('table', { class: 'rates' }, el('caption', {}, 'Offers to agents'),
      el('thead', {}, el('tr', {}, el('td'), ...['Reject', 'RONA', 'Transfer'].map((x) => th(x)))),
      el('tbody', {}, ...WINDOWS.map((w) => el('tr', {}, el('th', { scope: 'row' }, WINDOW_NAMES[w]),
        ...[['rejectRate', 'reject rate'], ['timeoutRate', 'RONA rate'], ['transferRate', 'transfer rate']].map(([k, label]) =>
          el('td', {}, figure(`${s}/${w}/totals.${k}`, this.metrics[w]?.totals?.[k], percent, `${WINDOW_NAMES[w]} ${label}`, t.measure(k))))))));

    const agents = el('section', { class: 'agents', 'aria-label': 'Agents by activity' }, el('h2', {}, 'Agents'));
    const boxes = el('div', { class: 'boxes' });
    this.members = new Map();
    for (const a of this.live?.workers ?? []) {
      const base = `${s}/live/workers[activity=${a.activity}]`;
      // Every member the answer lists (the longest in the activity first); fitAgents keeps those that fit.
      const members = a.members.map((m) => {
        const f = figure(`${base}.members[workerSid=${m.workerSid}].secondsInActivity`, m.secondsInActivity, duration, `${m.name ?? m.workerSid} in ${a.activity}`);
        f.classList.add('tick');
        return el('li', {}, el('span', { class: 'who' }, m.name ?? m.workerSid), ' ', f);
      });
      const box = el('div', { class: 'activity', 'data-workers': a.workers },
        el('h3', {}, el('span', { class: 'name' }, a.activity), ' ', figure(`${base}.workers`, a.workers, count, `${a.activity} agents`)), el('ul', {}, ...members));
      this.members.set(box, members);
      boxes.append(box);
    }
    agents.append(this.live?.workers?.length ? boxes : el('p', { class: 'note' }, 'No agents logged in.'));

    this.container.replaceChildren(el('div', { class: 'tables' }, ...tables), el('div', { class: 'side' }, rates, agents));
    this.resize.disconnect();
    this.resize.observe(agents);
    this.fitAgents();
    this.tick();
    updated();
  }

  // All types together are as bad as the worst of them: an urgent contact past its alert makes the total red too.
  worstLongestWait() {
    const order = [null, 'ok', 'warn', 'bad'];
    const types = Object.entries(this.live?.tasks?.bySupportType ?? {});
    return (value) => [level(this.t.measure('longestWait'), value), ...types.map(([type, x]) => level(this.t.longestWait(type), x.longestWaitSeconds))]
      .reduce((worst, l) => (order.indexOf(l) > order.indexOf(worst) ? l : worst), null);
  }

  // Each activity lists the people who fit in its box, longest in it first; "and N more" counts the rest of the
  // activity's workers (the exact count: the answer lists at most maxListed members).
  fitAgents() {
    for (const [box, items] of this.members ?? []) {
      const ul = box.querySelector('ul');
      ul.replaceChildren(...items);
      const workers = Number(box.dataset.workers);
      const limit = ul.getBoundingClientRect().bottom + 0.5;
      const fits = (li) => li.getBoundingClientRect().bottom <= limit;
      let shown = items.filter(fits).length;
      const more = el('li', { class: 'more' });
      const setMore = () => { more.textContent = `and ${workers - shown} more`; };
      if (shown < workers) {
        for (const li of items.slice(shown)) li.remove();
        setMore(); ul.append(more);
        while (shown > 0 && !fits(more)) { items[--shown].remove(); setMore(); }
      }
    }
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
    // One line whatever the screen and its fonts: as many contacts as fit (at most four), then "and N more".
    const items = raised.slice(0, 4).map((a) =>
      el('span', { class: 'alert-item', 'data-task': a.taskSid }, `${a.platform.toUpperCase()} ${a.supportType} contact waiting ${duration(a.waitSeconds + (now - a.receivedAt) / 1000)}`));
    const show = (n) => box.replaceChildren(el('strong', {}, '⚠ URGENT '), ...items.slice(0, n),
      ...(raised.length > n ? [el('span', { class: 'more' }, ` and ${raised.length - n} more`)] : []));
    let shown = items.length;
    show(shown);
    while (shown > 1 && box.scrollWidth > box.clientWidth) show(--shown);
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

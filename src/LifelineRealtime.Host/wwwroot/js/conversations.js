// /conversations/{platform}: the platform's conversations, newest first, with the API's filters (kept in the
// address), paged with the API's cursor ("Show more"), each row linking to its conversation page and its ISS.
import { $, el, duration, getJson, ApiError, signInUrl } from './common.js';

const platform = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1]);
const FILTERS = ['from', 'to', 'team', 'worker', 'supportType', 'outcome', 'q'];
const OUTCOMES = ['open', 'handled', 'abandoned', 'short_abandoned', 'transferred'];
let next = null;
let info = null;

const api = (params) => `/api/platforms/${encodeURIComponent(platform)}/conversations?${params}`;

function query() {
  const q = new URLSearchParams(location.search);
  for (const k of [...q.keys()]) if (!FILTERS.includes(k) || q.get(k) === '') q.delete(k);
  return q;
}

function when(iso, zone) {
  if (!iso) return '–';
  return new Intl.DateTimeFormat('en-AU', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

function field(name, label, control) {
  control.id = `f-${name}`; control.name = name;
  control.value = new URLSearchParams(location.search).get(name) ?? '';
  return el('label', { class: 'pick', for: control.id }, label + ' ', control);
}

function select(values, all) {
  return el('select', {}, el('option', { value: '' }, all), ...values.map(([v, text]) => el('option', { value: v }, text)));
}

function form() {
  const f = el('form', { class: 'picker', 'aria-label': 'Filters' },
    field('from', 'From', el('input', { type: 'date' })),
    field('to', 'To', el('input', { type: 'date' })),
    field('team', 'Team', select(info.teams.map((t) => [t, t]), 'Every team')),
    field('supportType', 'Support type', select(info.supportTypes.map((t) => [t, t.replaceAll('_', ' ')]), 'Every type')),
    field('outcome', 'Outcome', select(OUTCOMES.map((o) => [o, o.replace('_', ' ')]), 'Every outcome')),
    field('worker', 'ISS (WorkerSid)', el('input', { type: 'text', size: '36', pattern: 'WK[0-9a-fA-F]{32}', placeholder: 'WK…' })),
    field('q', 'Task, conversation or call Sid', el('input', { type: 'search', size: '36', placeholder: 'WT… / CH… / CA…' })),
    el('button', { type: 'submit' }, 'Show'));
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const k of FILTERS) { const v = f.elements[k].value.trim(); if (v) q.set(k, v); }
    history.pushState(null, '', `${location.pathname}${q.size ? '?' + q : ''}`);
    load(false);
  });
  return f;
}

function row(c) {
  const p = encodeURIComponent(platform);
  const iss = c.workerSid ? el('a', { href: `/workers/${p}/${encodeURIComponent(c.workerSid)}` }, c.workerName ?? c.workerSid) : '–';
  const team = c.team ? el('a', { href: `/teams/${p}/${encodeURIComponent(c.team)}` }, c.team) : '–';
  const open = el('a', { href: `/conversations/${p}/${encodeURIComponent(c.taskSid)}` }, c.transcriptUrl ? 'Transcript' : 'Details');
  const d = (s) => el('td', { class: 'num' }, s === null ? '–' : duration(s));
  return el('tr', { 'data-task': c.taskSid },
    el('td', { class: 'text' }, when(c.created, c.timeZone)),
    el('td', { class: 'text' }, c.supportType.replaceAll('_', ' ')),
    el('td', { class: 'text' }, c.customerName ?? '–', c.customerPseudonymous && c.customerName ? el('span', { class: 'note' }, ' (pseudonym)') : ''),
    el('td', { class: 'text' }, iss), el('td', { class: 'text' }, team),
    d(c.waitSeconds), d(c.talkSeconds), d(c.wrapSeconds), d(c.handleSeconds),
    el('td', { class: 'text' }, c.outcome.replace('_', ' ')),
    el('td', { class: 'text' }, open));
}

async function load(more) {
  const q = query();
  q.set('limit', '50');
  if (more && next) q.set('cursor', next);
  $('status').textContent = 'Loading…';
  let page;
  try { page = await getJson(api(q)); } catch (e) {
    if (e instanceof ApiError && e.status === 401) { location.assign(signInUrl()); return; }
    $('status').textContent = '';
    $('results').replaceChildren(el('p', { class: 'problem', role: 'alert' }, e instanceof ApiError ? `The engine answered ${e.status}: ${e.message}` : String(e)));
    return;
  }
  next = page.next;
  // The dates the engine chose when the address names none.
  if (!$('f-from').value) $('f-from').value = page.from;
  if (!$('f-to').value) $('f-to').value = page.to;
  const body = more ? $('rows') : el('tbody', { id: 'rows' });
  for (const c of page.conversations) body.append(row(c));
  if (!more) {
    const csv = query(); csv.set('format', 'csv'); csv.set('limit', '500');
    $('results').replaceChildren(
      el('p', {}, `${page.from} to ${page.to} · `, el('a', { class: 'download', href: api(csv), download: `conversations-${platform}-${page.from}-${page.to}.csv` }, 'Download CSV (up to 500 rows)')),
      el('div', { class: 'panel' }, el('table', { class: 'conversations' },
        el('caption', {}, 'Conversations, newest first'),
        el('thead', {}, el('tr', {}, ...['Created', 'Support type', 'CS', 'ISS', 'Team', 'Wait', 'Talk', 'Wrap', 'Handle', 'Outcome', ''].map((h) => el('th', { scope: 'col' }, h)))),
        body)),
      el('p', {}, el('button', { id: 'more', type: 'button' }, 'Show more')));
    $('more').addEventListener('click', () => load(true));
  }
  $('more').hidden = !next;
  const shown = $('rows').children.length;
  $('status').textContent = shown ? `${shown} conversation${shown === 1 ? '' : 's'} shown${next ? '; more below' : ''}.` : 'No conversation matches.';
  $('updated').textContent = 'updated ' + new Date().toLocaleTimeString('en-AU', { hourCycle: 'h23' });
}

async function main() {
  $('title').textContent = `${platform.toUpperCase()} conversations`;
  $('connection').textContent = '';
  let platforms;
  try { platforms = await getJson('/api/platforms'); } catch (e) {
    if (e instanceof ApiError && e.status === 401) { location.assign(signInUrl()); return; }
    throw e;
  }
  info = platforms.find((p) => p.id === platform);
  if (!info) { $('app').replaceChildren(el('p', { class: 'problem', role: 'alert' }, `Platform '${platform}' does not exist or is not granted to this sign-in.`)); return; }
  $('app').replaceChildren(el('nav', { class: 'crumbs', 'aria-label': 'Pages' }, el('a', { href: '/' }, 'Home')), form(),
    el('p', { id: 'status', role: 'status', 'aria-live': 'polite' }), el('div', { id: 'results' }));
  addEventListener('popstate', () => location.reload());
  await load(false);
}

main().catch((e) => { $('app').replaceChildren(el('p', { class: 'problem', role: 'alert' }, String(e?.message ?? e))); });

// /tasks/{platform}: stuck tasks (in one status too long, pending while eligible workers are available, accepted
// with no worker event since), longest stuck first, each saying why, read again every 15 s; each row opens the task's journaled events in order (GET …/tasks/{taskSid}).
import { $, el, duration, getJson, ApiError, signInUrl, updated } from './common.js';
import { fixButton, loadFixes } from './task-actions.js';
import { mount as mountReconciliation } from './reconciliation.js';

const platform = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1]);
const api = `/api/platforms/${encodeURIComponent(platform)}/tasks`;
let readAt = 0;
let zone = 'UTC';

// Times in the platform's zone, as everywhere else in Lifeline.
const time = (iso) => new Intl.DateTimeFormat('en-AU', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

// Why a task is stuck, in words (GET …/tasks/stuck `reasons`).
const why = (t, r) => {
  switch (r.reason) {
    case 'in_status_too_long': return `${t.status[0].toUpperCase()}${t.status.slice(1)} longer than its threshold (${duration(r.seconds)})`;
    case 'pending_while_workers_available': return `Pending while ${r.workers} eligible worker${r.workers === 1 ? ' is' : 's are'} available (${duration(r.seconds)})`;
    case 'accepted_without_worker_event': return `Accepted, no event from its worker since (${duration(r.seconds)})`;
    default: return r.reason;
  }
};

async function history(taskSid, cell) {
  cell.replaceChildren(el('p', { class: 'note', role: 'status' }, 'Reading the task’s events…'));
  try {
    const t = await getJson(`${api}/${encodeURIComponent(taskSid)}`);
    cell.replaceChildren(el('table', { class: 'history' },
      el('caption', {}, `${t.events.length} event${t.events.length === 1 ? '' : 's'} journaled for ${taskSid}, in order (times ${zone})`),
      el('thead', {}, el('tr', {}, ...['Time', 'Event', 'Status', 'Reservation', 'Worker', 'Queue', 'Journal #'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...t.events.map((e) => el('tr', {},
        el('td', { class: 'text' }, time(e.at)), el('td', { class: 'text' }, e.eventType), el('td', { class: 'text' }, e.assignmentStatus ?? '–'),
        el('td', { class: 'text' }, e.reservationSid ? el('code', {}, e.reservationSid) : '–'), el('td', { class: 'text' }, e.workerSid ? el('code', {}, e.workerSid) : '–'),
        el('td', { class: 'text' }, e.taskQueueSid ? el('code', {}, e.taskQueueSid) : '–'), el('td', { class: 'num' }, String(e.sequence)))))));
  } catch (e) {
    cell.replaceChildren(el('p', { class: 'problem', role: 'alert' }, e instanceof ApiError ? e.message : String(e)));
  }
}

function render(list) {
  readAt = performance.now();
  const p = encodeURIComponent(platform);
  const rows = list.tasks.flatMap((t) => {
    const c = t.conversation;
    const detail = el('td', { colspan: '9' });
    const more = el('tr', { class: 'detail', hidden: '' }, detail);
    const toggle = el('button', { type: 'button', 'aria-expanded': 'false' }, 'Events');
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      more.hidden = !open;
      if (open) history(t.taskSid, detail);
    });
    const age = el('span', { class: 'fig tick', 'data-value': t.secondsInStatus, 'data-metric': `platform/stuck/tasks[taskSid=${t.taskSid}].secondsInStatus` }, el('span', { class: 'num' }, duration(t.secondsInStatus)));
    return [el('tr', { 'data-task': t.taskSid },
      el('td', { class: 'text' }, el('a', { href: `/conversations/${p}/${encodeURIComponent(t.taskSid)}` }, el('code', {}, t.taskSid))),
      el('td', { class: 'text' }, t.status), el('td', { class: 'num' }, age),
      el('td', { class: 'text why', 'data-reasons': (t.reasons ?? []).map((r) => r.reason).join(' ') }, ...(t.reasons ?? []).map((r) => el('div', {}, why(t, r)))),
      el('td', { class: 'text' }, t.supportType.replaceAll('_', ' ')),
      el('td', { class: 'text' }, t.taskQueueSid ? el('code', {}, t.taskQueueSid) : '–'),
      el('td', { class: 'text' }, c?.workerName ?? c?.workerSid ?? '–'),
      el('td', { class: 'text' }, c?.conversationSid ?? c?.callSid ?? '–'),
      el('td', { class: 'text' }, toggle, ' ', fixButton(api, t, refresh))), more];
  });
  $('results').replaceChildren(
    el('p', { role: 'status' }, list.total === 0 ? 'No task is stuck.' : `${list.total} stuck task${list.total === 1 ? '' : 's'}${list.total > list.tasks.length ? `, the ${list.tasks.length} longest shown` : ''}.`),
    ...(list.tasks.length ? [el('div', { class: 'panel' }, el('table', { class: 'stuck' },
      el('caption', {}, 'Stuck tasks, longest stuck first'),
      el('thead', {}, el('tr', {}, ...['Task', 'Status', 'In it for', 'Why stuck', 'Support type', 'Queue', 'ISS', 'Conversation / call', ''].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...rows)))] : []));
  updated();
}

async function refresh() {
  // An open history is kept: the list is read again only while no row is open.
  if (document.querySelector('.detail:not([hidden]), dialog[open]')) return;
  try { render(await getJson(`${api}/stuck`)); } catch (e) {
    if (e instanceof ApiError && e.status === 401) { location.assign(signInUrl()); return; }
    $('results').replaceChildren(el('p', { class: 'problem', role: 'alert' }, e instanceof ApiError ? `The engine answered ${e.status}: ${e.message}` : String(e)));
  }
}

$('title').textContent = `${platform.toUpperCase()} stuck tasks`;
$('connection').textContent = '';
$('app').replaceChildren(el('nav', { class: 'crumbs', 'aria-label': 'Pages' }, el('a', { href: '/' }, 'Home')),
  el('p', { class: 'note' }, 'A task is stuck when it stays in one status too long, stays pending while an eligible worker is available, or is accepted while its worker sends no event, each past the platform’s StuckThresholds. An admin may cancel or complete one in TaskRouter from here.'),
  el('div', { id: 'results' }, el('p', { class: 'note' }, 'Loading…')));
mountReconciliation($('app'), platform);
Promise.all([getJson('/api/platforms').then((ps) => { zone = ps.find((x) => x.id === platform)?.timeZone ?? zone; }).catch(() => {}), loadFixes(api)]).finally(() => {
  refresh();
  setInterval(refresh, 15000);
});
setInterval(() => {
  const since = (performance.now() - readAt) / 1000;
  for (const f of document.querySelectorAll('.tick')) f.querySelector('.num').textContent = duration(Number(f.dataset.value) + since);
}, 1000);

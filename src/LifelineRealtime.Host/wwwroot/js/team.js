// /teams/{platform}/{team}: a team leader's view of one team in any window. See desk.js for the data-metric scheme.
import { $, el, figure, duration } from './common.js';
import { Desk, frame, metricsTable, activitiesTable, stackedBar, legend, windowLabel } from './desk.js';

const [, platform, team] = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);

function agents(desk) {
  const w = desk.window;
  const now = new Map();
  for (const a of desk.live.workers) for (const m of a.members) now.set(m.workerSid, { activity: a.activity, member: m });
  const rows = new Map((desk.extra.logged.workers ?? []).map((r) => [r.workerSid, { sid: r.workerSid, name: r.name, logged: r }]));
  for (const [sid, n] of now) if (!rows.has(sid)) rows.set(sid, { sid, name: n.member.name, logged: null });
  const sorted = [...rows.values()].sort((a, b) => (a.name ?? a.sid).localeCompare(b.name ?? b.sid));
  const names = new Set();
  const body = sorted.map((r) => {
    const n = now.get(r.sid);
    const who = r.name ?? r.sid;
    const liveMetric = n ? `team/live/workers[activity=${n.activity}].members[workerSid=${r.sid}].secondsInActivity` : null;
    const inIt = n ? figure(liveMetric, n.member.secondsInActivity, duration, `${who} time in ${n.activity}`) : el('span', { class: 'note' }, '–');
    if (n) inIt.classList.add('tick');
    for (const [a, s] of Object.entries(r.logged?.activities ?? {})) if (s.percent) names.add(a);
    const base = `team/logged:${w}/workers[workerSid=${r.sid}]`;
    return el('tr', { 'data-worker': r.sid },
      el('th', { scope: 'row' }, el('a', { href: `/workers/${encodeURIComponent(platform)}/${encodeURIComponent(r.sid)}?window=${encodeURIComponent(w)}` }, who)),
      el('td', { class: 'text' }, n ? n.activity : 'not logged in'),
      el('td', {}, inIt),
      el('td', {}, r.logged ? figure(`${base}.loggedInSeconds`, r.logged.loggedInSeconds, duration, `${who} logged in`) : '–'),
      el('td', { class: 'stackcell' }, r.logged ? stackedBar(`${base}.`, r.logged.activities, who) : ''));
  });
  const capped = desk.live.workers.filter((a) => a.workers > a.members.length)
    .map((a) => `${a.workers - a.members.length} more in ${a.activity}`);
  return el('section', { class: 'panel', 'aria-labelledby': 'agents-h' },
    el('h2', { id: 'agents-h' }, 'Agents'),
    sorted.length ? el('table', { class: 'agents-table' },
      el('caption', {}, `Now, and logged status · ${windowLabel(w)} (share of logged-in time; the table below gives the team's seconds)`),
      el('thead', {}, el('tr', {}, ...['Agent', 'Activity now', 'Time in it', 'Logged in', 'Logged status'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...body)) : el('p', { class: 'note' }, 'No agent of this team has logged in in this window.'),
    names.size ? legend([...names]) : null,
    capped.length ? el('p', { class: 'note' }, `Live lists show the longest in each activity first; not shown: ${capped.join(', ')}.`) : null);
}

function render(desk) {
  const logged = desk.extra.logged;
  return [
    agents(desk),
    el('section', { class: 'panel', 'aria-labelledby': 'measures-h' }, el('h2', { id: 'measures-h' }, 'Offers and handling'), metricsTable('team', desk.metrics, desk.thresholds)),
    el('section', { class: 'panel', 'aria-labelledby': 'logged-h' }, el('h2', { id: 'logged-h' }, 'Team logged status'),
      stackedBar(`team/logged:${desk.window}/`, logged.activities, team), activitiesTable('team', logged, desk.window)),
  ];
}

const desk = new Desk({ platform, kind: 'team', id: team, render });
$('title').textContent = `${team} · ${platform.toUpperCase()}`;
document.title = `${team} · ${platform.toUpperCase()} · Lifeline Realtime`;
frame(desk, [el('span', {}, `${platform.toUpperCase()} team ${team}`), el('a', { href: `/wallboard/${encodeURIComponent(platform)}/teams/${encodeURIComponent(team)}` }, 'Team wallboard')]);
desk.start();

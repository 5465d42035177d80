// /workers/{platform}/{sid}: one agent in any window, with their activity timeline. See desk.js for the data-metric scheme.
import { $, el, figure, duration, ApiError } from './common.js';
import { Desk, frame, metricsTable, activitiesTable, stackedBar, legend, windowLabel, apiBase, read, colourOf } from './desk.js';

const [, platform, sid] = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);

// The timeline is kept for two days: a longer or older window shows today's, and says so.
async function timeline(window) {
  const url = (w) => `${apiBase(platform, 'worker', sid)}/timeline?window=${encodeURIComponent(w)}`;
  try { return { window, answer: await read(url(window)) }; } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 400 || window === 'today') throw e;
    return { window: 'today', answer: await read(url('today')), note: `${e.message}. Showing today's timeline.` };
  }
}

function timeFormat(zone) {
  return new Intl.DateTimeFormat('en-AU', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

function timelineSection(t) {
  const a = t.answer;
  const start = Date.parse(a.window.start);
  const end = Math.min(Date.parse(a.window.end), Date.parse(a.asOf));
  const span = Math.max(1, end - start);
  const hhmm = timeFormat(a.window.timeZone);
  const track = el('div', { class: 'track', role: 'img', 'aria-describedby': 'timeline-table',
    'aria-label': `Activity timeline, ${hhmm.format(start)} to ${hhmm.format(end)}: ${a.segments.length} stretches, listed in the table below` });
  for (const s of a.segments) {
    const seg = el('span', { class: 'seg', title: `${s.activity} ${hhmm.format(Date.parse(s.start))}–${hhmm.format(Date.parse(s.end))}` });
    seg.style.left = `${((Date.parse(s.start) - start) / span) * 100}%`;
    seg.style.width = `${((Date.parse(s.end) - Date.parse(s.start)) / span) * 100}%`;
    seg.style.background = colourOf(s.activity);
    track.append(seg);
  }
  const step = [300000, 900000, 1800000, 3600000, 7200000, 10800000].find((x) => span / x <= 12) ?? 21600000;
  const ticks = el('div', { class: 'ticks', 'aria-hidden': 'true' });
  for (let x = Math.ceil(start / step) * step; x <= end; x += step) {
    const tick = el('span', {}, hhmm.format(x));
    tick.style.left = `${((x - start) / span) * 100}%`;
    ticks.append(tick);
  }
  const base = `worker/timeline:${t.window}/segments`;
  const rows = a.segments.map((s, i) => {
    const sw = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    sw.style.background = colourOf(s.activity);
    return el('tr', {}, el('td', {}, hhmm.format(Date.parse(s.start))), el('td', {}, s.open ? 'now' : hhmm.format(Date.parse(s.end))),
      el('th', { scope: 'row' }, sw, s.activity), el('td', {}, figure(`${base}.${i}.seconds`, s.seconds, duration, `${s.activity} from ${hhmm.format(Date.parse(s.start))}`)));
  });
  return el('section', { class: 'panel', 'aria-labelledby': 'timeline-h' },
    el('h2', { id: 'timeline-h' }, `Activity timeline · ${windowLabel(t.window)}`),
    t.note ? el('p', { class: 'note', role: 'status' }, t.note) : null,
    a.segments.length ? el('div', { class: 'timeline' }, track, ticks) : el('p', { class: 'note' }, 'No activity in this window.'),
    legend([...new Set(a.segments.map((s) => s.activity))]),
    el('details', {}, el('summary', {}, `The timeline as a table (${a.segments.length} stretches, as of ${hhmm.format(Date.parse(a.asOf))})`),
      el('table', { id: 'timeline-table', class: 'segments' },
        el('thead', {}, el('tr', {}, ...['From', 'To', 'Activity', 'Time'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...rows))));
}

function render(desk) {
  const current = desk.live.workers.find((a) => a.members.some((m) => m.workerSid === sid));
  const member = current?.members.find((m) => m.workerSid === sid);
  const name = member?.name ?? desk.extra.timeline?.answer.name ?? sid;
  $('title').textContent = `${name} · ${platform.toUpperCase()}`;
  document.title = `${name} · ${platform.toUpperCase()} · Lifeline Realtime`;
  let now = el('p', { class: 'note' }, 'Not logged in now.');
  if (member) {
    const f = figure(`worker/live/workers[activity=${current.activity}].members[workerSid=${sid}].secondsInActivity`, member.secondsInActivity, duration, `${name} time in ${current.activity}`);
    f.classList.add('tick');
    now = el('p', { class: 'now' }, 'Now ', el('strong', {}, current.activity), ' for ', f,
      member.team ? ' · ' : '', member.team ? el('a', { href: `/teams/${encodeURIComponent(platform)}/${encodeURIComponent(member.team)}?window=${encodeURIComponent(desk.window)}` }, member.team) : '');
  }
  const logged = desk.extra.logged;
  return [
    el('section', { class: 'panel', 'aria-labelledby': 'now-h' }, el('h2', { id: 'now-h' }, name), now,
      stackedBar(`worker/logged:${desk.window}/`, logged.activities, name), activitiesTable('worker', logged, desk.window)),
    desk.extra.timeline ? timelineSection(desk.extra.timeline) : null,
    el('section', { class: 'panel', 'aria-labelledby': 'measures-h' }, el('h2', { id: 'measures-h' }, 'Offers and handling'), metricsTable('worker', desk.metrics, desk.thresholds)),
  ].filter(Boolean);
}

const desk = new Desk({ platform, kind: 'worker', id: sid, render, extraReads: (w) => ({ timeline: timeline(w) }) });
frame(desk, [el('span', {}, `${platform.toUpperCase()} agent`)]);
desk.start();

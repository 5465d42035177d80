// /conversations/{platform}/{taskSid}: one conversation's record and, for a chat, its transcript read from Twilio
// (authors as CS, ISS or system; times in the platform's zone; attachments named, never fetched).
import { $, el, duration, getJson, ApiError, signInUrl } from './common.js';

const [, platform, task] = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
const base = `/api/platforms/${encodeURIComponent(platform)}/conversations/${encodeURIComponent(task)}`;

const time = (iso, zone, withDate) => iso ? new Intl.DateTimeFormat('en-AU', { timeZone: zone, ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}), hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(iso)) : '–';

function facts(c) {
  const p = encodeURIComponent(platform);
  const rows = [
    ['CS', c.customerName ? c.customerName + (c.customerPseudonymous ? ' (pseudonym)' : '') : '–'],
    ['ISS', c.workerSid ? el('a', { href: `/workers/${p}/${encodeURIComponent(c.workerSid)}` }, c.workerName ?? c.workerSid) : '–'],
    ['Team', c.team ? el('a', { href: `/teams/${p}/${encodeURIComponent(c.team)}` }, c.team) : '–'],
    ['Support type', c.supportType.replaceAll('_', ' ')], ['Channel', c.channel], ['Outcome', c.outcome.replace('_', ' ')],
    ['Created', time(c.created, c.timeZone, true)], ['Wait', duration(c.waitSeconds)], ['Talk', duration(c.talkSeconds)],
    ['Wrap', duration(c.wrapSeconds)], ['Handle', duration(c.handleSeconds)],
    ['Task', el('code', {}, c.taskSid)], ['Conversation', c.conversationSid ? el('code', {}, c.conversationSid) : '–'], ['Call', c.callSid ? el('code', {}, c.callSid) : '–'],
  ];
  const offers = c.reservations.map((r) => el('li', {}, `${r.workerName ?? r.workerSid ?? 'unknown'}: ${r.outcome.replace('_', ' ')} (offered ${time(r.created, c.timeZone)})`));
  return el('section', { class: 'panel', 'aria-labelledby': 'facts-h' }, el('h2', { id: 'facts-h' }, 'Conversation'),
    el('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el('h3', {}, 'Offers'), offers.length ? el('ol', {}, ...offers) : el('p', { class: 'note' }, 'No offer was made.'));
}

function transcript(t) {
  const label = { cs: 'CS', iss: 'ISS', system: 'System' };
  return el('section', { class: 'panel', 'aria-labelledby': 'transcript-h' }, el('h2', { id: 'transcript-h' }, `Transcript (${t.messages.length} messages, times ${t.timeZone})`),
    el('ol', { class: 'messages' }, ...t.messages.map((m) => el('li', { class: `msg ${m.author}`, 'data-index': m.index },
      el('p', { class: 'who' }, el('strong', {}, label[m.author] ?? m.author), m.author === 'system' ? '' : ` · ${m.authorName}`, el('span', { class: 'note' }, ` ${time(m.created, t.timeZone)}`)),
      m.body ? el('p', { class: 'body' }, m.body) : null,
      ...m.media.map((a) => el('p', { class: 'attachment' }, `Attachment: ${a.name} (${a.contentType}, ${Math.max(1, Math.round(a.size / 1024))} KB; not shown here)`))))));
}

async function main() {
  $('title').textContent = 'Conversation';
  $('connection').textContent = '';
  $('updated').textContent = '';
  let c;
  try { c = (await getJson(base)).conversation; } catch (e) {
    if (e instanceof ApiError && e.status === 401) { location.assign(signInUrl()); return; }
    $('app').replaceChildren(el('p', { class: 'problem', role: 'alert' }, e instanceof ApiError ? e.message : String(e)));
    return;
  }
  const crumbs = el('nav', { class: 'crumbs', 'aria-label': 'Pages' }, el('a', { href: '/' }, 'Home'), ' · ', el('a', { href: `/conversations/${encodeURIComponent(platform)}` }, `${platform.toUpperCase()} conversations`));
  $('app').replaceChildren(crumbs, facts(c), el('div', { id: 'transcript' }, el('p', { class: 'note', role: 'status' }, c.transcriptUrl ? 'Reading the transcript from Twilio…' : '')));
  if (!c.transcriptUrl) {
    $('transcript').replaceChildren(el('p', { class: 'note', role: 'status' }, c.callSid ? 'A voice call: no transcript is kept, and no recording is held for this task.' : 'This sign-in may not open transcripts, or the task names no chat.'));
    return;
  }
  try {
    $('transcript').replaceChildren(transcript(await getJson(c.transcriptUrl)));
  } catch (e) {
    $('transcript').replaceChildren(el('p', { class: 'problem', role: 'alert' }, e instanceof ApiError ? e.message : String(e)));
  }
  $('updated').textContent = 'read ' + new Date().toLocaleTimeString('en-AU', { hourCycle: 'h23' });
}

main().catch((e) => { $('app').replaceChildren(el('p', { class: 'problem', role: 'alert' }, String(e?.message ?? e))); });

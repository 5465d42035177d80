// The stuck-task page's reconciliation section, for admins: the platform's last reconciled day, per queue and
// measure, ours against TaskRouter's cumulative statistics. The API decides who may see it: any other answer
// than 200 (403 for non-admins) leaves the page without the section. A difference beyond tolerance is said in
// words and marked with a shape (▲), never by colour alone.
import { el, getJson } from './common.js';

const fmt = (x) => (Number.isInteger(x) ? String(x) : x.toFixed(3));
const signed = (x) => (x > 0 ? `+${fmt(x)}` : fmt(x));

function queueRows(q) {
  const key = `reconciliation/latest.queues[taskQueueSid=${q.taskQueueSid}]`;
  const name = el('th', { scope: 'row', class: 'text', rowspan: String(Math.max(1, q.measures.length)) }, q.name, el('br'), el('code', {}, q.taskQueueSid));
  if (q.outcome !== 'ok') {
    return [el('tr', { 'data-queue': q.taskQueueSid, class: 'failed' }, name,
      el('td', { class: 'text', colspan: '5', 'data-metric': `${key}.reason` }, el('strong', {}, '✖ Not reconciled: '), q.reason ?? 'failed'))];
  }
  return q.measures.map((m, i) => {
    const beyond = !m.within;
    return el('tr', { 'data-queue': q.taskQueueSid, 'data-measure': m.measure, class: beyond ? 'beyond' : 'within' },
      i === 0 ? name : null,
      el('td', { class: 'text' }, el('code', {}, m.measure), el('br'), '↔ ', el('code', {}, m.ourMeasure)),
      el('td', { class: 'num', 'data-metric': `${key}.measures[measure=${m.measure}].ours` }, fmt(m.ours)),
      el('td', { class: 'num', 'data-metric': `${key}.measures[measure=${m.measure}].theirs` }, fmt(m.theirs)),
      el('td', { class: 'num', 'data-metric': `${key}.measures[measure=${m.measure}].difference` }, signed(m.difference)),
      el('td', { class: 'text', 'data-metric': `${key}.measures[measure=${m.measure}].within` },
        beyond ? el('strong', {}, `▲ Beyond tolerance (±${fmt(m.allowed)})`) : `✓ Within (±${fmt(m.allowed)})`));
  });
}

function render(index) {
  const r = index.latest;
  const schedule = index.nightly ? `Runs nightly at ${index.runAt} (${index.timeZone}) for the day before.` : 'The nightly run is off (Lifeline:Reconciliation:Enabled); an admin can run a day on demand.';
  if (!r) return el('section', { id: 'reconciliation', class: 'panel', 'aria-labelledby': 'reconciliation-title' },
    el('h2', { id: 'reconciliation-title' }, 'Reconciliation with TaskRouter'), el('p', { class: 'note' }, `No day has been reconciled yet. ${schedule}`));
  const failed = r.queues.filter((q) => q.outcome !== 'ok').length;
  const summary = r.mismatches === 0 && failed === 0
    ? `Every measure of ${r.queues.length} queue${r.queues.length === 1 ? '' : 's'} is within tolerance.`
    : `${r.mismatches} measure${r.mismatches === 1 ? '' : 's'} beyond tolerance${failed ? `, ${failed} queue${failed === 1 ? '' : 's'} not reconciled` : ''}, of ${r.queues.length} queue${r.queues.length === 1 ? '' : 's'}.`;
  return el('section', { id: 'reconciliation', class: 'panel', 'aria-labelledby': 'reconciliation-title' },
    el('h2', { id: 'reconciliation-title' }, `Reconciliation with TaskRouter: ${r.date}`),
    el('p', { role: 'status', 'data-metric': 'reconciliation/latest.mismatches', 'data-value': String(r.mismatches) }, summary),
    el('p', { class: 'note' }, `Our counts for the local day ${r.date} (${r.timeZone}) against TaskRouter's cumulative statistics for the same period; ran ${new Date(r.ranAt).toISOString()}. ${schedule} What each measure is compared with, and why some differences are expected: docs/reconciliation.md.`),
    el('table', { class: 'reconciliation' },
      el('caption', {}, 'Per queue and measure: ours, TaskRouter\'s, the difference and whether it is within tolerance'),
      el('thead', {}, el('tr', {}, ...['Queue', 'TaskRouter ↔ ours', 'Ours', 'TaskRouter', 'Difference', 'Tolerance'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...r.queues.flatMap(queueRows))));
}

/** Appends the section to <paramref name="container"/> when the caller may read the platform's reconciliation. */
export async function mount(container, platform) {
  let index;
  try { index = await getJson(`/api/platforms/${encodeURIComponent(platform)}/reconciliation`); } catch { return; }
  container.append(render(index));
}

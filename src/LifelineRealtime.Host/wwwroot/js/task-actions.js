// Cancel / Complete on /tasks/{platform}, for an admin only. The engine says whether the caller may fix tasks and
// which fix each status takes (GET …/tasks/fixes); nothing here guesses. A native <dialog> shows the task and asks
// for the required reason; the status the admin saw is sent with it, so what was confirmed is what is changed.
import { $, el, getJson } from './common.js';

let fixes = null; // { allowed, byStatus: { status: 'cancel' | 'complete' }, maxReasonLength, note }
let dialog = null;
let current = null; // { api, task, fix, opener, done }

const words = { cancel: { verb: 'Cancel', done: 'canceled' }, complete: { verb: 'Complete', done: 'completed' } };

// Reads what the caller may do; anyone who may not (or when the engine cannot say) gets no buttons.
export async function loadFixes(api) {
  try { fixes = await getJson(`${api}/fixes`); } catch { fixes = null; }
  if (!fixes?.allowed) return;
  $('results').before(el('p', { class: 'note', id: 'fix-note' }, fixes.note), el('div', { id: 'fix-result', 'aria-live': 'polite' }));
}

// The one fix a row's status takes, as a button; null for a status that takes none or a caller who may not fix.
export function fixButton(api, task, done) {
  const fix = fixes?.allowed ? fixes.byStatus[task.status] : undefined;
  if (!fix) return null;
  const b = el('button', { type: 'button', class: 'fix', 'data-fix': fix, 'aria-haspopup': 'dialog' }, `${words[fix].verb}…`);
  b.addEventListener('click', () => open({ api, task, fix, opener: b, done }));
  return b;
}

function build() {
  const reason = el('textarea', { id: 'fix-reason', name: 'reason', rows: '3', maxlength: String(fixes.maxReasonLength), 'aria-required': 'true', 'aria-describedby': 'fix-hint fix-error', autofocus: '' });
  const form = el('form', { method: 'dialog', novalidate: '' },
    el('h2', { id: 'fix-title' }),
    el('dl', { class: 'facts' }, el('dt', {}, 'Task'), el('dd', {}, el('code', { id: 'fix-sid' })), el('dt', {}, 'Status here'), el('dd', { id: 'fix-status' })),
    el('label', { for: 'fix-reason' }, 'Reason (required)'),
    reason,
    el('p', { id: 'fix-hint', class: 'note' }, `TaskRouter logs the reason with the task; at most ${fixes.maxReasonLength} characters. The change is made only if the task is still as read (If-Match).`),
    el('p', { id: 'fix-error', class: 'problem', role: 'alert' }),
    el('div', { class: 'buttons' }, el('button', { type: 'submit', id: 'fix-confirm' }), el('button', { type: 'button', id: 'fix-keep' }, 'Keep it as it is')));
  dialog = el('dialog', { id: 'fix-dialog', class: 'fix', 'aria-labelledby': 'fix-title' }, form);
  form.addEventListener('submit', (e) => { e.preventDefault(); send(); });
  dialog.querySelector('#fix-keep').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => { if (current?.opener?.isConnected) current.opener.focus(); });
  document.body.append(dialog);
}

function open(c) {
  if (!dialog) build();
  current = c;
  const w = words[c.fix];
  dialog.querySelector('#fix-title').textContent = `${w.verb} this task in TaskRouter?`;
  dialog.querySelector('#fix-sid').textContent = c.task.taskSid;
  dialog.querySelector('#fix-status').textContent = c.task.status;
  dialog.querySelector('#fix-confirm').textContent = `${w.verb} task`;
  dialog.querySelector('#fix-confirm').disabled = false;
  dialog.querySelector('#fix-reason').value = '';
  dialog.querySelector('#fix-error').textContent = '';
  dialog.showModal();
}

async function send() {
  const c = current;
  const reasonBox = dialog.querySelector('#fix-reason');
  const error = dialog.querySelector('#fix-error');
  const reason = reasonBox.value.trim();
  if (!reason) { error.textContent = 'A reason is required: say why the task is being changed.'; reasonBox.focus(); return; }
  const confirm = dialog.querySelector('#fix-confirm');
  confirm.disabled = true;
  error.textContent = '';
  let status = 0, body = null;
  try {
    const r = await fetch(`${c.api}/${encodeURIComponent(c.task.taskSid)}/${c.fix}`, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ reason, expectedStatus: c.task.status }),
    });
    status = r.status;
    try { body = await r.json(); } catch { body = null; }
  } catch (e) {
    error.textContent = `The engine could not be reached: ${e}`;
    confirm.disabled = false;
    return;
  }
  // A reason the engine refuses is the admin's to correct, in the dialog; every other answer ends the attempt.
  if (status === 400 && body?.errors?.reason) { error.textContent = body.detail; confirm.disabled = false; reasonBox.focus(); return; }
  dialog.close();
  const result = $('fix-result');
  if (status === 200) {
    result.replaceChildren(el('p', { role: 'status', class: 'fix-ok', 'data-task': c.task.taskSid },
      `${words[c.fix].verb} ${c.task.taskSid}: sent; TaskRouter now holds it ${body.status}. The list updates when TaskRouter's event arrives.`));
  } else {
    const what = status === 409 ? 'Not changed: ' : `Not done (${status}${body?.title ? `, ${body.title}` : ''}): `;
    result.replaceChildren(el('p', { role: 'alert', class: 'problem', 'data-task': c.task.taskSid }, `${words[c.fix].verb} ${c.task.taskSid}. ${what}${body?.detail ?? 'the engine gave no reason'}`));
  }
  c.done?.();
}

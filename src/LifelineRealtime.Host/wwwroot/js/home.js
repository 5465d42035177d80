// /: the platforms and scopes this person may see, with links to their wallboards.
import { $, el, getJson, problem } from './common.js';

async function main() {
  const platforms = await getJson('/api/platforms');
  const flags = document.body.dataset;
  const link = (href, text) => el('a', { href }, text);
  const sections = platforms.map((p) => {
    const w = `/wallboard/${encodeURIComponent(p.id)}`;
    return el('section', { class: 'platform', 'data-platform': p.id },
      el('h2', {}, `${p.name} (${p.channel})`),
      el('p', {}, link(w, 'Platform wallboard')),
      el('h3', {}, 'Teams'),
      p.teams.length ? el('ul', {}, ...p.teams.map((t) => el('li', {}, ...(flags.teamView
        ? [link(`/teams/${encodeURIComponent(p.id)}/${encodeURIComponent(t)}`, t), ' · ', link(`${w}/teams/${encodeURIComponent(t)}`, 'wallboard')]
        : [link(`${w}/teams/${encodeURIComponent(t)}`, t)])))) : el('p', { class: 'note' }, 'No team seen yet.'),
      el('h3', {}, 'Queues'),
      p.queues.length ? el('ul', { class: 'queues' }, ...p.queues.map((q) => el('li', {}, link(`${w}/queues/${encodeURIComponent(q)}`, q)))) : el('p', { class: 'note' }, 'No queue seen yet.'));
  });
  const top = el('p', {}, platforms.length > 1 ? link('/wallboard', 'Both platforms side by side') : '');
  const nav = flags.reports ? [link('/reports', 'Reports')] : [];
  for (const p of platforms) {
    if (flags.conversations) nav.push(link(`/conversations/${encodeURIComponent(p.id)}`, `${p.id.toUpperCase()} conversations`));
    if (flags.stuckTasks) nav.push(link(`/tasks/${encodeURIComponent(p.id)}`, `${p.id.toUpperCase()} stuck tasks`));
  }
  const out = [top, ...(nav.length ? [el('p', { class: 'nav' }, ...nav.flatMap((n) => [n, ' ']))] : []), ...sections];
  if (flags.signout) {
    out.push(el('form', { method: 'post', action: '/signout' }, el('button', { type: 'submit' }, 'Sign out')));
  }
  $('connection').textContent = '';
  $('updated').textContent = '';
  $('app').replaceChildren(...out);
}

main().catch((e) => problem(String(e?.message ?? e)));

// /wallboard/{platform}[/teams/{team}|/queues/{sid}]: one scope on a TV. A kiosk link carries its token in the
// fragment (#kiosk=llk_…), which no server sees: it is exchanged once for a session, then removed from the address.
import { $, getJson, problem } from './common.js';
import { Board, checkAccess, run } from './board.js';

const parts = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
const [, platform, kind, id] = parts;
const scope = kind === 'teams' ? 'team' : kind === 'queues' ? 'queue' : 'platform';

async function main() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get('kiosk');
  if (token) {
    history.replaceState(null, '', location.pathname + location.search);
    const r = await fetch('/kiosk/session', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
    if (!r.ok) { problem('This kiosk link is not valid (unknown, revoked or expired): ask an admin for a new one.'); return; }
  }
  const label = scope === 'platform' ? platform.toUpperCase() : `${platform.toUpperCase()} · ${scope === 'team' ? id : 'queue ' + id}`;
  $('title').textContent = label;
  document.title = `${label} · Lifeline wallboard`;
  if (!(await checkAccess(platform, scope, id))) return;
  // The platform's colour thresholds (a kiosk sees its own platform in the list too).
  const info = (await getJson('/api/platforms')).find((p) => p.id === platform);
  const container = document.createElement('div');
  container.className = 'board';
  $('app').replaceChildren(container);
  run([new Board(container, platform, scope, id ?? platform, info?.thresholds)]);
}

main().catch((e) => problem(String(e?.message ?? e)));

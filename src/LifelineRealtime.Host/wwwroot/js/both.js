// /wallboard: every platform the person may see, side by side, with the same support-type rows.
import { $, el, getJson, problem, ApiError, signInUrl } from './common.js';
import { Board, run } from './board.js';

async function main() {
  let platforms;
  try { platforms = await getJson('/api/platforms'); } catch (e) {
    if (e instanceof ApiError && e.status === 401) { location.assign(signInUrl()); return; }
    throw e;
  }
  if (platforms.length === 0) { problem('No platform is granted to this sign-in.'); return; }
  $('title').textContent = platforms.map((p) => p.id.toUpperCase()).join(' · ');
  const boards = platforms.map((p) => {
    const c = el('div', { class: 'board' });
    return { section: el('section', { class: 'platform', 'aria-label': p.name }, el('h2', {}, p.name), c), board: new Board(c, p.id, 'platform', p.id, p.thresholds, platforms.length > 1) };
  });
  $('app').replaceChildren(el('div', { class: 'columns' }, ...boards.map((b) => b.section)));
  run(boards.map((b) => b.board));
}

main().catch((e) => problem(String(e?.message ?? e)));

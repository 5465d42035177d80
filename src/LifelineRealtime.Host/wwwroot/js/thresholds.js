// Colour thresholds per measure, in one place (per-platform overrides can be merged here later).
// "higher": larger is better. Each level also gets a shape and a word, so colour is never alone.
export const thresholds = {
  serviceLevel: { higher: true, warn: 0.8, bad: 0.6 },
  abandonRate: { higher: false, warn: 0.05, bad: 0.1 },
  rejectRate: { higher: false, warn: 0.1, bad: 0.2 },
  timeoutRate: { higher: false, warn: 0.05, bad: 0.1 },
  transferRate: { higher: false, warn: 0.15, bad: 0.3 },
  avgWait: { higher: false, warn: 60, bad: 120 },
  longestWait: { higher: false, warn: 60, bad: 120 },
};

export const levels = {
  ok: { shape: '●', word: 'within target' },
  warn: { shape: '▲', word: 'near limit' },
  bad: { shape: '■', word: 'over limit' },
};

export function level(measure, value) {
  const t = thresholds[measure];
  if (!t || value === null || value === undefined) return null;
  if (t.higher) return value < t.bad ? 'bad' : value < t.warn ? 'warn' : 'ok';
  return value >= t.bad ? 'bad' : value >= t.warn ? 'warn' : 'ok';
}

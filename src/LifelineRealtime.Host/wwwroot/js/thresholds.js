// Colour levels of a figure. The thresholds are configuration, per platform (Lifeline:Platforms:N:Thresholds, defaults
// in FigureThresholdOptions), served on GET /api/platforms as each platform's `thresholds`: { serviceLevel:
// { higherIsBetter, warn, bad }, …, longestWaitBySupportType: { imminent: {…} } }. Nothing here repeats their values.
// Each level also gets a shape and a word, so colour is never alone.
export const levels = {
  ok: { shape: '●', word: 'within target' },
  warn: { shape: '▲', word: 'near limit' },
  bad: { shape: '■', word: 'over limit' },
};

// For a page about one platform that names measures by name (figure(…, 'serviceLevel')): that platform's thresholds.
let pageThresholds = null;
export function usePlatformThresholds(thresholds) { pageThresholds = thresholds ?? null; }

// The thresholds of one figure: the entry itself ({ higherIsBetter, warn, bad }), a measure's name, or a function
// of the value giving the level (a figure that sums up others).
export function level(threshold, value) {
  if (typeof threshold === 'function') return value === null || value === undefined ? null : threshold(value);
  const t = typeof threshold === 'string' ? pageThresholds?.[threshold] : threshold;
  if (!t || value === null || value === undefined) return null;
  if (t.higherIsBetter) return value < t.bad ? 'bad' : value < t.warn ? 'warn' : 'ok';
  return value >= t.bad ? 'bad' : value >= t.warn ? 'warn' : 'ok';
}

// A board's thresholds, by measure; an urgent support type's longest wait has its own (over limit at its alert wait).
export function thresholdsOf(platform) {
  const t = platform?.thresholds ?? {};
  return {
    measure: (name) => t[name] ?? null,
    longestWait: (supportType) => t.longestWaitBySupportType?.[supportType] ?? t.longestWait ?? null,
  };
}

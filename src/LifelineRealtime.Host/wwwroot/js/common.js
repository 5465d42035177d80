// Shared by every page: API reads, the hub connection, "updated" and "reconnecting", figures with data-metric.
import { level, levels } from './thresholds.js';

export const $ = (id) => document.getElementById(id);

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined) continue;
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

export class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

export async function getJson(url) {
  const r = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!r.ok) {
    let detail = r.statusText;
    try { detail = (await r.json()).detail ?? detail; } catch { /* not a problem document */ }
    throw new ApiError(r.status, detail);
  }
  return r.json();
}

export function signInUrl() {
  return '/welcome?returnUrl=' + encodeURIComponent(location.pathname + location.search);
}

// The path in an answer (dots; arrays by key: workers[activity=Available].workers).
export function read(obj, path) {
  let cur = obj;
  for (const part of path.split('.')) {
    if (cur === null || cur === undefined) return undefined;
    const m = /^(\w+)\[(\w+)=(.*)\]$/.exec(part);
    cur = m ? (cur[m[1]] ?? []).find((x) => String(x[m[2]]) === m[3]) : cur[part];
  }
  return cur;
}

const pad = (n) => String(n).padStart(2, '0');
export const clock = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;

export function duration(s) {
  if (s === null || s === undefined) return '–';
  s = Math.max(0, Math.floor(s));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(r)}` : `${m}:${pad(r)}`;
}

export const percent = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`);
export const count = (x) => (x === null || x === undefined ? '–' : String(x));

// One figure: data-metric names where its value is in the API's answer, data-value holds that value exactly.
export function figure(metric, value, format, label, measure) {
  const lv = level(measure, value);
  const text = format(value);
  const e = el('span', { class: 'fig' + (lv ? ' lv-' + lv : ''), 'data-metric': metric, 'data-value': value ?? '', 'aria-label': `${label}: ${text}${lv ? ', ' + levels[lv].word : ''}` });
  if (lv) e.append(el('span', { class: 'shape', 'aria-hidden': 'true' }, levels[lv].shape + ' '));
  e.append(el('span', { class: 'num' }, text));
  return e;
}

export function updated() {
  $('updated').textContent = 'updated ' + clock(new Date());
}

// The hub with automatic reconnect for ever (a wall screen has nobody to press reload), a fresh
// subscription and snapshot after each reconnect, and the state shown on the page.
// subscriptions: [platform, scope, id, window] arrays, or a function giving the current ones.
export function connectHub(subscriptions, handlers) {
  const status = $('connection');
  const show = (state, text) => { status.dataset.state = state; status.textContent = text; document.body.dataset.connection = state; };
  const hub = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/wallboard')
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (c) => Math.min(10000, 500 * 2 ** c.previousRetryCount) })
    .configureLogging(signalR.LogLevel.None)
    .build();
  for (const [name, fn] of Object.entries(handlers)) hub.on(name, fn);
  const subscribe = async () => {
    handlers.Resubscribing?.();
    for (const s of (typeof subscriptions === 'function' ? subscriptions() : subscriptions)) await hub.invoke('Subscribe', ...s);
    show('live', 'live');
  };
  hub.onreconnecting(() => show('reconnecting', 'reconnecting…'));
  hub.onreconnected(() => subscribe().catch((e) => handlers.Failed?.(e)));
  const start = async () => {
    try { await hub.start(); await subscribe(); } catch (e) {
      show('reconnecting', 'reconnecting…');
      setTimeout(start, 5000);
    }
  };
  hub.onclose(() => { show('reconnecting', 'reconnecting…'); setTimeout(start, 2000); });
  window.lifelineHub = hub; // for tests and the console: the connection this page shows
  start();
  return hub;
}

export function problem(text) {
  const main = $('app');
  main.replaceChildren(el('p', { class: 'problem', role: 'alert' }, text));
  $('connection').textContent = '';
}

// Builds DOM from data without ever parsing data as HTML: every value ends up as a text node or an attribute.

/** h('td', {class: 'num'}, 42) — attributes set with setAttribute, children appended as nodes or text. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
    } else if (key === 'value' && 'value' in el) {
      el.value = String(value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A link inside the dashboard; the target is built from encoded parts, never from raw data. */
export function link(hash, ...children) {
  return h('a', { href: hash }, ...children);
}

export function badge(text, cls = text) {
  return h('span', { class: `badge ${cls}` }, text);
}

export function panel(title, ...children) {
  return h('section', { class: 'panel' }, title ? h('h2', null, title) : null, ...children);
}

export function table(headers, rows) {
  return h('table', null,
    h('thead', null, h('tr', null, headers.map(t => h('th', typeof t === 'object' ? t : null,
      typeof t === 'object' ? t.label : t)))),
    h('tbody', null, rows));
}

/** "42 s", "7 min", "3 h 5 min", "2 d 4 h" since an ISO instant. */
export function age(iso, now = Date.now()) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '–';
  let s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const hrs = Math.floor(m / 60);
  if (hrs < 24) return `${hrs} h ${m % 60} min`;
  return `${Math.floor(hrs / 24)} d ${hrs % 24} h`;
}

export function time(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '–' : new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function num(n) {
  return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US');
}

export function short(text, n = 12) {
  return text && text.length > n ? `${text.slice(0, n)}…` : (text ?? '–');
}

/** The problem+json detail of a failed call, or its message. */
export function problemText(error) {
  const p = error?.problem;
  if (p && typeof p === 'object') {
    const fields = (p.errors ?? []).map(e => `${e.field}: ${e.message}`).join('; ');
    return `${p.status ?? error.status} ${p.title ?? ''}: ${p.detail ?? ''}${fields && !String(p.detail).includes(fields) ? ` (${fields})` : ''}`;
  }
  return error?.message ?? String(error);
}

export function errorBox(error) {
  return h('p', { class: 'error', role: 'alert' }, problemText(error));
}

/** A refused action: a 403 says plainly that the server refused this caller, with the server's own words. */
export function actionError(error) {
  if (error?.status === 403) {
    return h('p', { class: 'error refused', role: 'alert', dataset: { status: 403 } },
      `Refused by the server (403 Forbidden): ${error.problem?.detail ?? 'your token does not allow this action'}`);
  }
  return errorBox(error);
}

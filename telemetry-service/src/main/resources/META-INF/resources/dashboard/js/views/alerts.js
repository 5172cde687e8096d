// Alerts: filter by status, severity and agent; open one, read its history and move it through its lifecycle.
import { api, query } from '../api.js';
import { age, badge, errorBox, h, link, num, panel, table, time } from '../dom.js';

const STATUSES = ['ACTIVE', 'INVESTIGATING', 'RESOLVED', 'FALSE_POSITIVE'];
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
/** The lifecycle (telemetry-service's AlertStatus): what each state may move to. */
const NEXT = { ACTIVE: ['INVESTIGATING', 'RESOLVED', 'FALSE_POSITIVE'], INVESTIGATING: ['RESOLVED', 'FALSE_POSITIVE'] };
const VERB = { INVESTIGATING: 'Investigate', RESOLVED: 'Resolve', FALSE_POSITIVE: 'Mark false positive' };

export async function renderList({ params }) {
  const filters = { status: params.get('status') ?? '', severity: params.get('severity') ?? '', agentId: params.get('agentId') ?? '' };
  const first = await api(`/v1/alerts${query({ ...filters, limit: 50 })}`);
  const body = h('tbody', null);
  const more = h('button', { type: 'button', class: 'secondary', id: 'more' }, 'More');
  const addPage = page => {
    const now = Date.now();
    body.append(...page.items.map(a => h('tr', {
      class: 'clickable', dataset: { alertId: a.id },
      onclick: () => { location.hash = `#/alerts/${encodeURIComponent(a.id)}`; },
    },
      h('td', null, badge(a.severity)),
      h('td', null, link(`#/alerts/${encodeURIComponent(a.id)}`, a.title)),
      h('td', null, a.agentId ?? '–'),
      h('td', null, badge(a.status)),
      h('td', { class: 'num' }, num(a.occurrences)),
      h('td', null, age(a.firstSeen, now)),
      h('td', null, time(a.lastSeen)))));
    more.hidden = !page.nextCursor;
    more.onclick = async () => addPage(await api(`/v1/alerts${query({ ...filters, limit: 50, cursor: page.nextCursor })}`));
  };
  addPage(first);
  return h('div', null,
    h('h1', null, 'Alerts'),
    filterForm(filters),
    panel(null,
      first.items.length === 0 ? h('p', { class: 'muted', id: 'no-alerts' }, 'No alert matches these filters.') : null,
      h('table', { id: 'alerts-table' },
        h('thead', null, h('tr', null, ['Severity', 'Title', 'Agent', 'Status', { label: 'Seen' }, 'Age', 'Last seen']
          .map(t => h('th', typeof t === 'object' ? { class: 'num' } : null, typeof t === 'object' ? t.label : t)))),
        body),
      more));
}

function filterForm(filters) {
  const select = (name, values) => h('select', { name, id: `filter-${name}` },
    h('option', { value: '' }, 'any'), values.map(v => h('option', { value: v, selected: filters[name] === v }, v)));
  const form = h('form', { class: 'filters', id: 'alert-filters' },
    h('label', null, 'Status', select('status', STATUSES)),
    h('label', null, 'Severity', select('severity', SEVERITIES)),
    h('label', null, 'Agent', h('input', { name: 'agentId', id: 'filter-agentId', value: filters.agentId,
      placeholder: 'agent id' })),
    h('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    location.hash = `#/alerts${query(data)}`;
  });
  return form;
}

export async function renderOne({ id, refresh }) {
  const alert = await api(`/v1/alerts/${encodeURIComponent(id)}`);
  return h('div', null,
    h('p', null, link('#/alerts', '← Alerts')),
    h('div', { class: 'row' }, h('h1', null, alert.title), badge(alert.severity),
      h('span', { id: 'alert-status' }, badge(alert.status))),
    h('div', { class: 'grid' },
      panel('Alert',
        h('dl', { class: 'figures' },
          h('dt', null, 'id'), h('dd', { class: 'mono' }, alert.id),
          h('dt', null, 'agent'), h('dd', null, alert.agentId ?? '–'),
          h('dt', null, 'kind'), h('dd', null, `${alert.source} / ${alert.kind}`),
          h('dt', null, 'fingerprint'), h('dd', { class: 'mono' }, alert.fingerprint),
          h('dt', null, 'occurrences'), h('dd', null, num(alert.occurrences)),
          h('dt', null, 'first seen'), h('dd', null, `${time(alert.firstSeen)} (${age(alert.firstSeen)} ago)`),
          h('dt', null, 'last seen'), h('dd', null, time(alert.lastSeen)),
          h('dt', null, 'updated'), h('dd', null, time(alert.updatedAt)))),
      lifecyclePanel(alert, refresh)),
    panel('Details', h('pre', { id: 'alert-details' }, JSON.stringify(alert.details ?? {}, null, 2))),
    panel('History', (alert.history ?? []).length === 0
      ? h('p', { class: 'muted', id: 'no-history' }, 'No state change yet.')
      : table(['When', 'From', 'To', 'By', 'Reason'], alert.history.map(e => h('tr', { class: 'history-entry' },
        h('td', null, time(e.at)), h('td', null, e.from ?? '–'), h('td', null, badge(e.to)),
        h('td', null, e.actor), h('td', null, e.reason ?? ''))))));
}

function lifecyclePanel(alert, refresh) {
  const next = NEXT[alert.status] ?? [];
  if (next.length === 0) {
    return panel('Lifecycle', h('p', { class: 'muted' }, `${alert.status} is final: a recurrence opens a new alert.`));
  }
  const reason = h('textarea', { id: 'transition-reason', rows: 3, maxlength: 1000, placeholder: 'why (kept in the alert history)' });
  const message = h('div', { id: 'transition-message' });
  const move = async (to, button) => {
    if (!reason.value.trim()) {
      message.replaceChildren(h('p', { class: 'error' }, 'A reason is required.'));
      return;
    }
    button.disabled = true;
    try {
      await api(`/v1/alerts/${encodeURIComponent(alert.id)}`, { method: 'PATCH', body: { status: to, reason: reason.value.trim() } });
      refresh();
    } catch (e) {
      button.disabled = false;
      message.replaceChildren(errorBox(e));
    }
  };
  return panel('Lifecycle',
    h('p', { class: 'muted' }, `ACTIVE → INVESTIGATING → RESOLVED | FALSE_POSITIVE. Now ${alert.status}.`),
    h('label', { class: 'field', for: 'transition-reason' }, 'Reason', reason),
    h('div', { class: 'row' }, next.map(to => {
      const button = h('button', { type: 'button', id: `move-${to}`, dataset: { to },
        class: to === 'FALSE_POSITIVE' ? 'secondary' : null }, VERB[to]);
      button.addEventListener('click', () => move(to, button));
      return button;
    })),
    message);
}

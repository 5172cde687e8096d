// Silences (telemetry-service): alerts matching them are still recorded but not notified; create, list, end early.
import { api, query } from '../api.js';
import { actionError, badge, h, panel, table, time } from '../dom.js';
import { may, notAllowed } from '../roles.js';

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
const DURATIONS = [['PT15M', '15 min', 15], ['PT1H', '1 h', 60], ['PT4H', '4 h', 240], ['PT24H', '24 h', 1440],
  ['P7D', '7 days', 10080]];

export async function render({ params, caller, refresh }) {
  const state = params.get('state') === 'all' ? 'all' : 'current';
  const silences = await api(`/v1/silences${query({ state })}`);
  return h('div', null,
    h('h1', null, 'Silences'),
    h('p', { class: 'notice' }, 'A silence holds back the notifications of matching alerts between its start and end; '
      + 'the alerts are still recorded, listed and anchored. Every change is audited and anchored.'),
    may(caller, 'silence') ? createForm(refresh) : panel(null, h('p', { class: 'muted' }, notAllowed(caller, 'create silences'))),
    h('form', { class: 'filters', id: 'silence-filters' },
      h('label', null, 'Show', h('select', { name: 'state', id: 'filter-state',
        onchange: event => { location.hash = `#/silences${query({ state: event.target.value === 'all' ? 'all' : '' })}`; } },
        h('option', { value: 'current', selected: state === 'current' }, 'pending and active'),
        h('option', { value: 'all', selected: state === 'all' }, 'all, expired included')))),
    panel(null, silences.length === 0 ? h('p', { class: 'muted', id: 'no-silences' }, 'No silence.')
      : table(['State', 'Matches', 'Comment', 'Created by', 'Starts', 'Ends', ''], silences.map(s => row(s, caller, refresh)))));
}

function row(s, caller, refresh) {
  const matchers = [['kind', s.kind], ['agent', s.agentId], ['severity', s.severity]].filter(([, v]) => v);
  const message = h('div', null);
  let expire = null;
  if (s.state !== 'EXPIRED' && may(caller, 'silence')) {
    expire = h('button', { type: 'button', class: 'secondary expire' }, 'Expire now');
    expire.addEventListener('click', async () => {
      expire.disabled = true;
      try {
        await api(`/v1/silences/${encodeURIComponent(s.id)}`, { method: 'DELETE' });
        refresh();
      } catch (e) {
        expire.disabled = false;
        message.replaceChildren(actionError(e));
      }
    });
  }
  return h('tr', { class: 'silence', dataset: { silenceId: s.id, state: s.state } },
    h('td', null, badge(s.state, `silence-${s.state}`)),
    h('td', null, matchers.map(([k, v], i) => [i ? ', ' : '', h('span', { class: 'mono' }, `${k}=${v}`)])),
    h('td', null, s.comment),
    h('td', null, s.createdBy),
    h('td', null, time(s.startsAt)),
    h('td', null, time(s.endsAt)),
    h('td', null, expire, message));
}

function createForm(refresh) {
  const message = h('div', { id: 'silence-message' });
  const form = h('form', { class: 'filters', id: 'silence-form' },
    h('label', null, 'Kind (rule id or pattern)', h('input', { name: 'kind', id: 'silence-kind', placeholder: 'e.g. BOUNDARY_TESTING', size: 22 })),
    h('label', null, 'Agent', h('input', { name: 'agentId', id: 'silence-agentId', placeholder: 'agent id', size: 16 })),
    h('label', null, 'Severity', h('select', { name: 'severity', id: 'silence-severity' }, h('option', { value: '' }, 'any'),
      SEVERITIES.map(v => h('option', { value: v }, v)))),
    h('label', null, 'Starts', h('input', { name: 'startsAt', id: 'silence-startsAt', type: 'datetime-local' })),
    h('label', null, 'For', h('select', { name: 'duration', id: 'silence-duration' },
      DURATIONS.map(([v, label]) => h('option', { value: v, selected: v === 'PT1H' }, label)))),
    h('label', null, 'Comment', h('input', { name: 'comment', id: 'silence-comment', size: 36, maxlength: 1000,
      placeholder: 'why (required)' })),
    h('button', { type: 'submit', id: 'silence-create' }, 'Create silence'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    if (!data.kind && !data.agentId && !data.severity) {
      message.replaceChildren(h('p', { class: 'error' }, 'Give at least one matcher: kind, agent or severity.'));
      return;
    }
    if (!data.comment.trim()) {
      message.replaceChildren(h('p', { class: 'error' }, 'A comment is required.'));
      return;
    }
    // datetime-local is the browser's local time; the API wants an instant
    const start = data.startsAt ? new Date(data.startsAt) : new Date();
    const minutes = DURATIONS.find(([v]) => v === data.duration)[2];
    const body = { kind: data.kind || undefined, agentId: data.agentId || undefined, severity: data.severity || undefined,
      comment: data.comment.trim(), startsAt: data.startsAt ? start.toISOString() : undefined,
      endsAt: new Date(start.getTime() + minutes * 60_000).toISOString() };
    try {
      await api('/v1/silences', { method: 'POST', body });
      refresh();
    } catch (e) {
      message.replaceChildren(actionError(e));
    }
  });
  return panel('New silence', form, message);
}

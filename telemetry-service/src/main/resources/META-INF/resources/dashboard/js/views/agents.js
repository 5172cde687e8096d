// Agents (gate-service): tier, score and its history; suspend or reinstate, contain or lift the containment.
import { query, upstream } from '../api.js';
import { scoreChart } from '../chart.js';
import { actionError, badge, h, link, num, panel, table, time } from '../dom.js';
import { may, notAllowed } from '../roles.js';

const TIERS = ['UNKNOWN', 'BASIC', 'VERIFIED', 'TRUSTED', 'PRIVILEGED'];
const PAGE = 50;

/** The last containment answer, shown once on the agent's page after it re-renders. */
let outcome = null;

export async function renderList({ params }) {
  const filters = { tier: params.get('tier') ?? '', status: params.get('status') ?? '',
    minScore: params.get('minScore') ?? '', maxScore: params.get('maxScore') ?? '' };
  const first = await upstream('gate', `v1/agents${query({ ...filters, limit: PAGE })}`);
  const body = h('tbody', null);
  const more = h('button', { type: 'button', class: 'secondary', id: 'more' }, 'More');
  const addPage = page => {
    body.append(...page.items.map(a => h('tr', {
      class: 'clickable', dataset: { agentId: a.agentId },
      onclick: () => { location.hash = `#/agents/${encodeURIComponent(a.agentId)}`; },
    },
      h('td', null, link(`#/agents/${encodeURIComponent(a.agentId)}`, a.agentId)),
      h('td', null, badge(a.tier, `tier-${a.tier}`)),
      h('td', { class: 'num' }, num(a.effectiveScore)),
      h('td', { class: 'num' }, num(a.trustScore)),
      h('td', null, states(a)),
      h('td', null, time(a.updatedAt)))));
    more.hidden = !page.nextCursor;
    more.onclick = async () => addPage(await upstream('gate',
      `v1/agents${query({ ...filters, limit: PAGE, cursor: page.nextCursor })}`));
  };
  addPage(first);
  return h('div', null,
    h('h1', null, 'Agents'),
    filterForm(filters),
    panel(null,
      first.items.length === 0 ? h('p', { class: 'muted', id: 'no-agents' }, 'No agent matches these filters.') : null,
      h('table', { id: 'agents-table' },
        h('thead', null, h('tr', null, ['Agent', 'Tier', { label: 'Effective score' }, { label: 'Trust score' }, 'Status',
          'Updated'].map(t => h('th', typeof t === 'object' ? { class: 'num' } : null, typeof t === 'object' ? t.label : t)))),
        body),
      more));
}

function filterForm(filters) {
  const form = h('form', { class: 'filters', id: 'agent-filters' },
    h('label', null, 'Tier', h('select', { name: 'tier', id: 'filter-tier' }, h('option', { value: '' }, 'any'),
      TIERS.map(t => h('option', { value: t, selected: filters.tier === t }, t)))),
    h('label', null, 'Status', h('select', { name: 'status', id: 'filter-status' }, h('option', { value: '' }, 'any'),
      ['ACTIVE', 'SUSPENDED'].map(s => h('option', { value: s, selected: filters.status === s }, s)))),
    h('label', null, 'Min score', h('input', { name: 'minScore', type: 'number', min: 0, max: 1000, size: 6, value: filters.minScore })),
    h('label', null, 'Max score', h('input', { name: 'maxScore', type: 'number', min: 0, max: 1000, size: 6, value: filters.maxScore })),
    h('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    location.hash = `#/agents${query(Object.fromEntries(new FormData(form)))}`;
  });
  return form;
}

function states(a) {
  return [a.suspended ? badge('SUSPENDED') : badge('ACTIVE', 'ACTIVE-agent'), a.contained ? [' ', badge('CONTAINED')] : null];
}

export async function renderOne({ id, caller, refresh }) {
  const base = `v1/agents/${encodeURIComponent(id)}`;
  const [agent, history] = await Promise.all([upstream('gate', base), upstream('gate', `${base}/history${query({ limit: 200 })}`)]);
  const shown = outcome?.agentId === agent.agentId ? outcome : null;
  outcome = null;
  return h('div', null,
    h('p', null, link('#/agents', '← Agents')),
    h('div', { class: 'row' }, h('h1', null, agent.agentId), h('span', { id: 'agent-tier' }, badge(agent.tier, `tier-${agent.tier}`)),
      h('span', { id: 'agent-state' }, states(agent))),
    shown ? outcomePanel(shown) : null,
    h('div', { class: 'grid' },
      panel('Agent', h('dl', { class: 'figures' },
        h('dt', null, 'tier'), h('dd', { dataset: { field: 'tier' } }, `${agent.tier}${agent.tierAlias ? ` (${agent.tierAlias})` : ''}`),
        h('dt', null, 'effective score'), h('dd', { dataset: { field: 'effectiveScore' } }, num(agent.effectiveScore)),
        h('dt', null, 'trust score'), h('dd', { dataset: { field: 'trustScore' } }, num(agent.trustScore)),
        h('dt', null, 'frameworks'), h('dd', null, (agent.frameworks ?? []).join(', ') || '–'),
        h('dt', null, 'version'), h('dd', null, agent.version),
        h('dt', null, 'updated'), h('dd', null, time(agent.updatedAt)),
        agent.suspended ? [h('dt', null, 'suspended for'), h('dd', { dataset: { field: 'suspendedReason' } }, agent.suspendedReason ?? '–')] : null,
        agent.contained ? containment(agent.containment) : null)),
      actions(agent, caller, refresh)),
    scoreChart(history),
    panel(`Score history (${history.length})`, history.length === 0 ? h('p', { class: 'muted' }, 'No score change yet.')
      : table(['When', 'Score', { label: 'Effective', class: 'num' }, 'Tier', 'Cause', 'By'],
        history.map(c => h('tr', { class: 'score-change', dataset: { changeId: c.id } },
          h('td', null, time(c.changedAt)),
          h('td', null, c.oldScore === null || c.oldScore === undefined ? `${c.newScore}` : `${c.oldScore} → ${c.newScore}`),
          h('td', { class: 'num' }, num(c.effectiveScore)),
          h('td', null, c.tier), h('td', null, c.cause ?? ''), h('td', null, c.actor ?? ''))))));
}

/** The containment record on the agent view (gate-service's {@code containment}), whatever of it is present. */
function containment(c) {
  if (!c || typeof c !== 'object') return [h('dt', null, 'contained'), h('dd', null, 'yes')];
  return [
    h('dt', null, 'contained for'), h('dd', { dataset: { field: 'containedReason' } }, c.reason ?? '–'),
    h('dt', null, 'contained by'), h('dd', null, c.containedBy ?? '–'),
    h('dt', null, 'contained at'), h('dd', null, time(c.containedAt)),
    c.complete === false ? [h('dt', null, 'incomplete'), h('dd', { class: 'error' }, 'a step failed: contain again')] : null,
  ];
}

function actions(agent, caller, refresh) {
  const canSuspend = may(caller, 'suspendAgent');
  const canContain = may(caller, 'containAgent');
  if (!canSuspend && !canContain) return panel('Actions', h('p', { class: 'muted' }, notAllowed(caller, 'act on agents')));
  const reason = h('textarea', { id: 'agent-reason', rows: 3, maxlength: 500,
    placeholder: 'reason (required to suspend, contain or lift; kept in the audit trail)' });
  const message = h('div', { id: 'agent-message' });
  const buttons = [];
  const act = async (path, needsReason, keep) => {
    const why = reason.value.trim();
    if (needsReason && !why) {
      message.replaceChildren(h('p', { class: 'error' }, 'A reason is required.'));
      return;
    }
    buttons.forEach(b => { b.disabled = true; });
    try {
      const answer = await upstream('gate', `v1/agents/${encodeURIComponent(agent.agentId)}/${path}`,
        { method: 'POST', body: needsReason ? { reason: why } : {} });
      if (keep) outcome = { agentId: agent.agentId, ...answer };
      refresh();
    } catch (e) {
      buttons.forEach(b => { b.disabled = false; });
      message.replaceChildren(actionError(e));
    }
  };
  const button = (id, label, cls, path, needsReason, keep) => {
    const b = h('button', { type: 'button', id, class: cls }, label);
    b.addEventListener('click', () => act(path, needsReason, keep));
    buttons.push(b);
    return b;
  };
  return panel('Actions',
    h('p', { class: 'muted' }, 'Suspension: gate denies everything the agent asks until it is reinstated. '
      + 'Containment also force-releases its leases, revokes its open approvals, pins it to every flag\'s control '
      + 'arm and raises an alert; lifting it undoes what can be undone and says what cannot.'),
    h('label', { class: 'field', for: 'agent-reason' }, 'Reason', reason),
    h('div', { class: 'row' },
      canSuspend ? (agent.suspended
        ? button('reinstate', 'Reinstate', null, 'reinstate', false, false)
        : button('suspend', 'Suspend', 'secondary', 'suspend', true, false)) : null,
      canContain ? (agent.contained
        ? button('lift', 'Lift containment', null, 'containment/lift', true, true)
        : button('contain', 'Contain', 'danger', 'containment', true, true)) : null),
    message);
}

/** What a containment or its lift did, from gate-service's answer. */
function outcomePanel(o) {
  if (o.contained) {
    const failed = o.failedSteps ?? [];
    return h('section', { class: `panel result ${failed.length ? 'failed' : 'verified'}`, id: 'containment-result',
      dataset: { contained: true } },
      h('p', null, `Contained by ${o.containedBy ?? '–'} at ${time(o.containedAt)}: ${o.reason ?? ''}`),
      h('ul', { class: 'steps' },
        h('li', { dataset: { step: 'leases' } }, items(o.leasesReleased, 'lease(s) force-released (their fencing tokens are stale)')),
        h('li', { dataset: { step: 'approvals' } }, items(o.approvalsRevoked, 'open approval(s) revoked')),
        h('li', { dataset: { step: 'flags' } }, items(o.flagsPinned, 'flag(s) pinned to their control arm')),
        h('li', null, o.alertRaised ? 'an alert is raised (CONTAINMENT)' : 'no alert raised'),
        o.eventId ? h('li', { class: 'mono' }, `anchored record: event ${o.eventId}`) : null,
        failed.map(f => h('li', { class: 'error' }, `not done: ${f.step} (${f.why}); contain again to complete it`))));
  }
  return h('section', { class: 'panel result verified', id: 'containment-result', dataset: { contained: false } },
    h('p', null, 'Containment lifted.'),
    h('ul', { class: 'steps' },
      (o.undone ?? []).map(u => h('li', { class: 'undone' }, `undone: ${u}`)),
      (o.notUndone ?? []).map(n => h('li', { class: 'not-undone' }, `not undone: ${n.what} (${n.why})`))));
}

/** "2 lease(s) …: a, b" from a list of ids (or a bare count). */
function items(list, what) {
  if (!Array.isArray(list)) return `${num(list ?? 0)} ${what}`;
  return [`${list.length} ${what}`, list.length ? [': ', h('span', { class: 'mono' }, list.join(', '))] : null];
}

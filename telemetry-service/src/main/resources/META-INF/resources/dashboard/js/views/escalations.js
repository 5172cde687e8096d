// The escalation queue (gate-service): what is asked, by whom, why it escalated, the votes so far; decide with a reason.
import { query, upstream } from '../api.js';
import { actionError, age, badge, h, link, panel, time } from '../dom.js';
import { may, notAllowed } from '../roles.js';

/** The status filter: "pending" (the default) is the operator's queue, the two undecided states. */
const FILTERS = {
  pending: ['AWAITING_OPERATOR', 'OPEN'],
  OPEN: ['OPEN'], AWAITING_OPERATOR: ['AWAITING_OPERATOR'], DECIDED: ['DECIDED'], APPROVED: ['APPROVED'],
  REJECTED: ['REJECTED'], all: [null],
};
const TITLES = {
  AWAITING_OPERATOR: 'Awaiting an operator (the voting window has passed)', OPEN: 'Open for validator votes',
  DECIDED: 'Decided', APPROVED: 'Approved', REJECTED: 'Rejected', null: 'All escalations',
};
const PAGE = 25;

export async function render({ params, caller, refresh }) {
  const filters = { status: params.get('status') ?? 'pending', agentId: params.get('agentId') ?? '' };
  const statuses = FILTERS[filters.status] ?? FILTERS.pending;
  const firsts = await Promise.all(statuses.map(s => page(s, filters.agentId)));
  return h('div', null,
    h('h1', null, 'Escalations'),
    h('p', { class: 'notice' }, 'An ESCALATE decision waits here. Validators vote (2f+1 of n approvals decide); once '
      + 'the voting window passes it awaits an operator. Operators and admins may decide any undecided escalation; '
      + 'an approved tool call may then be made once, exactly as asked.'),
    filterForm(filters),
    statuses.map((s, i) => section(s, filters.agentId, firsts[i], caller, refresh)));
}

/** One page of escalations with, for tool calls, the call an approver is asked about. */
async function page(status, agentId, cursor) {
  const result = await upstream('gate', `v1/escalations${query({ status, agentId, limit: PAGE, cursor })}`);
  const calls = await Promise.all(result.items.map(e =>
    upstream('gate', `v1/tool-calls/approvals/${encodeURIComponent(e.id)}`).catch(() => null)));
  return { items: result.items.map((e, i) => ({ escalation: e, call: calls[i] })), nextCursor: result.nextCursor };
}

function filterForm(filters) {
  const options = [['pending', 'pending (awaiting operator, open)'], ['OPEN', 'open'],
    ['AWAITING_OPERATOR', 'awaiting operator'], ['DECIDED', 'decided'], ['APPROVED', 'approved'],
    ['REJECTED', 'rejected'], ['all', 'all']];
  const form = h('form', { class: 'filters', id: 'escalation-filters' },
    h('label', null, 'Status', h('select', { name: 'status', id: 'filter-status' },
      options.map(([v, label]) => h('option', { value: v, selected: filters.status === v }, label)))),
    h('label', null, 'Agent', h('input', { name: 'agentId', id: 'filter-agentId', value: filters.agentId,
      placeholder: 'agent id' })),
    h('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    location.hash = `#/escalations${query(Object.fromEntries(new FormData(form)))}`;
  });
  return form;
}

function section(status, agentId, first, caller, refresh) {
  const cards = h('div', { class: 'grid wide' });
  const more = h('button', { type: 'button', class: 'secondary more' }, 'More');
  const add = p => {
    cards.append(...p.items.map(x => card(x.escalation, x.call, caller, refresh)));
    more.hidden = !p.nextCursor;
    more.onclick = async () => add(await page(status, agentId, p.nextCursor));
  };
  add(first);
  return h('section', { class: 'queue', dataset: { queue: status ?? 'all' } },
    h('h2', null, `${TITLES[status]} (${first.items.length}${first.nextCursor ? '+' : ''})`),
    first.items.length === 0 ? panel(null, h('p', { class: 'muted' }, 'Nothing here.')) : null,
    cards, more);
}

function card(e, call, caller, refresh) {
  const now = Date.now();
  const open = e.status === 'OPEN';
  return h('section', { class: 'panel escalation', dataset: { escalationId: e.id, status: e.status } },
    h('div', { class: 'row between' },
      h('h2', null, asked(e, call)),
      h('span', { class: 'row' }, badge(e.status), h('span', { class: 'muted' }, `opened ${age(e.createdAt, now)} ago`))),
    h('dl', { class: 'figures' },
      h('dt', null, 'agent'), h('dd', { dataset: { field: 'agent' } }, link(`#/agents/${encodeURIComponent(e.agentId)}`, e.agentId)),
      call ? [
        h('dt', null, 'tool'), h('dd', { class: 'mono', dataset: { field: 'tool' } }, call.tool),
        h('dt', null, 'resource'), h('dd', null, call.resource ?? '–'),
        h('dt', null, 'arguments'), h('dd', { dataset: { field: 'summary' } }, call.summary ?? '(no summary given)'),
        h('dt', null, 'arguments digest'), h('dd', { class: 'mono break', dataset: { field: 'digest' } }, call.argumentsDigest),
      ] : [
        h('dt', null, 'resource'), h('dd', null, e.resourceId ?? '–'),
        h('dt', null, 'action'), h('dd', null, e.action ?? '–'),
      ],
      h('dt', null, 'as role, tier'), h('dd', null, `${e.role}, ${e.tier}`),
      h('dt', null, 'voting window'), h('dd', null, open
        ? `closes ${time(e.deadline)}` : `closed ${time(e.deadline)}`)),
    h('p', { class: 'why', dataset: { field: 'reason' } }, h('strong', null, 'Why it escalated: '), e.reason ?? '–'),
    votes(e),
    e.decision ? decided(e) : decide(e, caller, refresh));
}

/** "what is asked" in one line: the tool call when there is one, else the role-gate request. */
function asked(e, call) {
  if (call) return `Tool call ${call.tool}${call.resource ? ` on ${call.resource}` : ''}`;
  return `${e.action ?? 'act'} on ${e.resourceId ?? '(no resource)'} as ${e.role}`;
}

function votes(e) {
  const list = e.votes ?? [];
  return h('div', { class: 'votes' },
    h('p', { dataset: { field: 'quorum' } },
      h('strong', null, `${e.approvals} of ${e.approvalsNeeded}`), ' approvals needed', ` · ${e.rejections} rejections`,
      h('span', { class: 'muted' }, ` (n = ${e.n}, f = ${e.f})`)),
    list.length === 0 ? h('p', { class: 'muted' }, 'No vote yet.')
      : h('ul', { class: 'vote-list' }, list.map(v => h('li', { class: 'vote', dataset: { validator: v.validatorId, approve: v.approve } },
        badge(v.approve ? 'approve' : 'reject', v.approve ? 'APPROVED' : 'REJECTED'), ' ', h('strong', null, v.validatorId),
        v.reason ? `: ${v.reason}` : '', h('span', { class: 'muted' }, ` · ${time(v.votedAt)}`)))));
}

function decided(e) {
  return h('div', { class: 'decision', dataset: { decision: e.decision } },
    h('p', null, h('strong', null, e.decision === 'ALLOW' ? 'Approved' : 'Denied'), ` by ${e.decidedBy ?? '–'} at ${time(e.decidedAt)}`),
    e.decisionNote ? h('p', { class: 'muted' }, `“${e.decisionNote}”`) : null);
}

function decide(e, caller, refresh) {
  if (!may(caller, 'decideEscalation')) return h('p', { class: 'muted' }, notAllowed(caller, 'decide escalations'));
  const reason = h('textarea', { class: 'decision-reason', rows: 2, maxlength: 1024,
    placeholder: 'reason for the decision (kept with the escalation and in the audit trail)' });
  const message = h('div', { class: 'decision-message' });
  const buttons = [];
  const send = async (decision, button) => {
    if (!reason.value.trim()) {
      message.replaceChildren(h('p', { class: 'error' }, 'A reason is required.'));
      return;
    }
    buttons.forEach(b => { b.disabled = true; });
    try {
      await upstream('gate', `v1/escalations/${encodeURIComponent(e.id)}/decision`,
        { method: 'POST', body: { decision, note: reason.value.trim() } });
      refresh();
    } catch (err) {
      buttons.forEach(b => { b.disabled = false; });
      message.replaceChildren(actionError(err));
    }
  };
  for (const [decision, label, cls] of [['ALLOW', 'Approve', 'approve'], ['DENY', 'Deny', 'danger deny']]) {
    const button = h('button', { type: 'button', class: cls }, label);
    button.addEventListener('click', () => send(decision, button));
    buttons.push(button);
  }
  return h('div', { class: 'decide' },
    h('label', { class: 'field' }, 'Decision reason', reason),
    h('div', { class: 'row' }, buttons),
    message);
}

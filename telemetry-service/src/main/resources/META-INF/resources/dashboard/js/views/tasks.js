// The task list (lease-service), and a task's phase timeline from its hash-chained ledger with the chain verification.
import { query, upstream } from '../api.js';
import { badge, h, link, panel, short, time } from '../dom.js';

const PHASES = ['STRATEGIZE', 'SPEC', 'PLAN', 'THINK', 'IMPLEMENT', 'VERIFY', 'REVIEW', 'PR', 'MONITOR'];

export async function render({ id, params }) {
  const form = h('form', { class: 'filters', id: 'task-search' },
    h('label', null, 'Task id', h('input', { name: 'taskId', id: 'task-id', value: id ?? '', required: true, size: 40 })),
    h('button', { type: 'submit' }, 'Open'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const taskId = new FormData(form).get('taskId').trim();
    if (taskId) location.hash = `#/tasks/${encodeURIComponent(taskId)}`;
  });
  if (!id) return renderList(params, form);
  const base = `v1/tasks/${encodeURIComponent(id)}`;
  const [task, ledger, verify, leases] = await Promise.all([
    upstream('lease', base), upstream('lease', `${base}/ledger`), upstream('lease', `${base}/ledger/verify`),
    upstream('lease', `v1/leases${query({ taskId: id })}`)]);
  const current = PHASES.indexOf(task.phase);
  return h('div', null,
    h('h1', null, `Task ${task.taskId}`),
    form,
    h('div', { class: 'grid' },
      panel('Task', h('dl', { class: 'figures' },
        h('dt', null, 'title'), h('dd', null, task.title),
        h('dt', null, 'phase'), h('dd', { id: 'task-phase' }, task.phase),
        h('dt', null, 'created by'), h('dd', null, task.createdBy),
        h('dt', null, 'created'), h('dd', null, time(task.createdAt)),
        h('dt', null, 'updated'), h('dd', null, time(task.updatedAt)))),
      panel('Ledger verification', verifyView(verify)),
      panel('Live leases', (Array.isArray(leases) ? leases : leases.items ?? []).length === 0
        ? h('p', { class: 'muted' }, 'none')
        : h('ul', null, (Array.isArray(leases) ? leases : leases.items).map(l => h('li', null,
          `${l.phase}: ${l.holder}, fencing token ${l.fencingToken}`))))),
    panel('Phases', h('div', { class: 'phases' }, PHASES.map((p, i) => h('span', {
      class: `phase ${i < current ? 'done' : ''} ${i === current ? 'current' : ''}`,
    }, p)))),
    panel(`Timeline (${ledger.entries.length} ledger entries)`,
      h('ol', { class: 'timeline', id: 'timeline' }, ledger.entries.map(e => h('li', { dataset: { seq: e.seq, kind: e.kind } },
        h('div', { class: 'row' }, h('strong', null, summary(e)), h('span', { class: 'muted' }, `#${e.seq} · ${time(e.time)} · ${e.actor}`)),
        evidence(e),
        h('div', { class: 'muted mono' }, `hash ${short(e.hash, 16)} ← prev ${short(e.prevHash, 16)}`
          + (verify.tamperedEntries?.includes(e.seq) ? ' · TAMPERED' : ''))))),
      h('p', null, link('#/provenance', 'Each entry is also anchored in the provenance log →'))));
}

/** Tasks in creation order with their filters; each row opens the task's page. */
async function renderList(params, openForm) {
  const filters = { agent: params.get('agent') ?? '', phase: params.get('phase') ?? '', status: params.get('status') ?? '',
    updatedSince: params.get('updatedSince') ?? '' };
  const first = await upstream('lease', `v1/tasks${query({ ...filters, limit: 50 })}`);
  const body = h('tbody', null);
  const more = h('button', { type: 'button', class: 'secondary', id: 'more' }, 'More');
  const addPage = page => {
    body.append(...page.items.map(t => h('tr', {
      class: 'clickable', dataset: { taskId: t.taskId },
      onclick: () => { location.hash = `#/tasks/${encodeURIComponent(t.taskId)}`; },
    },
      h('td', { class: 'mono' }, link(`#/tasks/${encodeURIComponent(t.taskId)}`, t.taskId)),
      h('td', null, t.title),
      h('td', null, t.phase),
      h('td', null, badge(t.status)),
      h('td', null, t.holder ?? '–'),
      h('td', null, t.createdBy),
      h('td', null, time(t.updatedAt)))));
    more.hidden = !page.nextCursor;
    more.onclick = async () => addPage(await upstream('lease', `v1/tasks${query({ ...filters, limit: 50, cursor: page.nextCursor })}`));
  };
  addPage(first);
  const listForm = h('form', { class: 'filters', id: 'task-filters' },
    h('label', null, 'Agent', h('input', { name: 'agent', id: 'filter-agent', value: filters.agent,
      placeholder: 'creator or lease holder' })),
    h('label', null, 'Phase', h('select', { name: 'phase', id: 'filter-phase' }, h('option', { value: '' }, 'any'),
      PHASES.map(p => h('option', { value: p, selected: filters.phase === p }, p)))),
    h('label', null, 'Lease', h('select', { name: 'status', id: 'filter-status' }, h('option', { value: '' }, 'any'),
      ['LEASED', 'UNLEASED'].map(s => h('option', { value: s, selected: filters.status === s }, s.toLowerCase())))),
    h('label', null, 'Updated since', h('input', { name: 'updatedSince', id: 'filter-updatedSince', value: filters.updatedSince,
      placeholder: '2026-01-31T12:00:00Z', size: 22 })),
    h('button', { type: 'submit' }, 'Apply'));
  listForm.addEventListener('submit', event => {
    event.preventDefault();
    location.hash = `#/tasks${query(Object.fromEntries(new FormData(listForm)))}`;
  });
  return h('div', null, h('h1', null, 'Tasks'), openForm, listForm,
    panel(null,
      first.items.length === 0 ? h('p', { class: 'muted', id: 'no-tasks' }, 'No task matches these filters.') : null,
      h('table', { id: 'tasks-table' },
        h('thead', null, h('tr', null, ['Task', 'Title', 'Phase', 'Lease', 'Holder', 'Created by', 'Updated'].map(t => h('th', null, t)))),
        body),
      more));
}

function summary(entry) {
  const d = entry.data ?? {};
  if (entry.kind === 'GENESIS') return `created in ${d.phase ?? 'STRATEGIZE'}: ${d.title ?? ''}`;
  if (entry.kind === 'TRANSITION') return `${d.from} → ${d.to} (${(d.kind ?? '').toLowerCase()})`;
  return entry.kind.replaceAll('_', ' ').toLowerCase();
}

function evidence(entry) {
  const items = entry.data?.evidence ?? [];
  if (!items.length) return null;
  return h('div', null, 'evidence: ', items.map((e, i) => [i ? ', ' : '', h('span', { class: 'mono' }, `${e.kind} ${e.uri}`)]));
}

function verifyView(v) {
  return h('div', { id: 'ledger-verify', dataset: { valid: v.valid } },
    h('p', null, v.valid ? badge('chain intact', 'valid') : badge('chain BROKEN', 'broken')),
    h('dl', { class: 'figures' },
      h('dt', null, 'entries'), h('dd', null, v.entries),
      h('dt', null, 'broken at'), h('dd', null, v.brokenChainAt ?? '–'),
      h('dt', null, 'tampered entries'), h('dd', null, (v.tamperedEntries ?? []).join(', ') || 'none')));
}

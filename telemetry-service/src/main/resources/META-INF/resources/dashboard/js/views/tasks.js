// A task's phase timeline from lease-service's hash-chained ledger, with the server's chain verification.
import { query, upstream } from '../api.js';
import { badge, h, link, panel, short, time } from '../dom.js';

const PHASES = ['STRATEGIZE', 'SPEC', 'PLAN', 'THINK', 'IMPLEMENT', 'VERIFY', 'REVIEW', 'PR', 'MONITOR'];

export async function render({ id }) {
  const form = h('form', { class: 'filters', id: 'task-search' },
    h('label', null, 'Task id', h('input', { name: 'taskId', id: 'task-id', value: id ?? '', required: true, size: 40 })),
    h('button', { type: 'submit' }, 'Open'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const taskId = new FormData(form).get('taskId').trim();
    if (taskId) location.hash = `#/tasks/${encodeURIComponent(taskId)}`;
  });
  if (!id) {
    return h('div', null, h('h1', null, 'Tasks'), form,
      panel(null, h('p', { class: 'muted' }, 'Open a task by id to see its phase timeline and ledger verification.')));
  }
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

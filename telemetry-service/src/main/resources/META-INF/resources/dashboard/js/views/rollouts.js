// Staged rollouts (gate-service's flags) with telemetry's cohort-versus-control figures and, for admins, rollback.
import { api, upstream } from '../api.js';
import { badge, errorBox, h, num, panel, table, time } from '../dom.js';

export async function render({ caller, refresh }) {
  const [flags, guard] = await Promise.all([upstream('gate', 'v1/flags'), api('/v1/dashboard/rollouts')]);
  const histories = await Promise.all(flags.map(f =>
    upstream('gate', `v1/flags/${encodeURIComponent(f.flag)}/history`).catch(() => [])));
  return h('div', null,
    h('h1', null, 'Rollouts'),
    h('p', { class: 'notice' },
      `The rollout guard compares each cohort with its control over ${Math.round(guard.windowSeconds / 60)} min `
      + `(at least ${num(guard.minRequests)} cohort requests): it rolls back when the cohort's error rate exceeds the `
      + `control's by more than ${(guard.maxErrorRateDelta * 100).toFixed(1)} points or its p95 latency exceeds the `
      + `control's × ${guard.maxLatencyRatio}. Automatic rollback is ${guard.autoRollback ? 'on' : 'off'}.`),
    flags.length === 0 ? panel(null, h('p', { class: 'muted', id: 'no-flags' }, 'No feature flag yet.')) : null,
    flags.map((f, i) => flagPanel(f, guard.items.find(g => g.flag === f.flag), histories[i], caller, refresh)));
}

function flagPanel(flag, measured, history, caller, refresh) {
  return h('section', { class: 'panel', dataset: { flag: flag.flag } },
    h('div', { class: 'row between' },
      h('div', { class: 'row' }, h('h2', null, flag.flag), badge(flag.status, flag.status === 'ACTIVE' ? 'ACTIVE-flag' : flag.status)),
      h('span', { class: 'muted' }, `version ${flag.version}, updated ${time(flag.updatedAt)}`)),
    flag.description ? h('p', null, flag.description) : null,
    h('div', { class: 'stages' }, flag.stages.map((p, i) => h('span', {
      class: `stage ${i < flag.stageIndex ? 'done' : ''} ${i === flag.stageIndex ? 'current' : ''}`,
    }, `${p} %`))),
    h('div', { class: 'grid' },
      panel('Cohort',
        h('dl', { class: 'figures' },
          h('dt', null, 'stage'), h('dd', { dataset: { field: 'stage' } }, `${flag.stageIndex + 1} of ${flag.stages.length}`),
          h('dt', null, 'cohort size'), h('dd', { dataset: { field: 'percent' } }, `${flag.percent} % of agents`),
          h('dt', null, 'membership'), h('dd', null, 'sticky per-agent hash buckets'))),
      panel('Trigger metrics', measured ? metrics(measured)
        : h('p', { class: 'muted' }, 'No cohort/control samples (rollout.metrics) in the guard window.')),
      panel('Rollback triggers', table(['Stage', 'p95 +%', 'errors +%', 'condition'], flag.triggers.map(t => h('tr', {
        class: flag.activeTrigger && t.percent === flag.activeTrigger.percent ? 'current' : null },
      h('td', null, `${t.percent} %${flag.activeTrigger && t.percent === flag.activeTrigger.percent ? ' (now)' : ''}`),
      h('td', null, t.responseTimeIncreasePct ?? '–'), h('td', null, t.errorRateIncreasePct ?? '–'),
      h('td', null, t.condition ?? '–')))))),
    (history ?? []).length ? h('details', null, h('summary', null, `History (${history.length})`),
      table(['When', 'Action', 'From', 'To', 'By', 'Reason'], history.map(c => h('tr', null,
        h('td', null, time(c.changedAt)), h('td', null, c.action), h('td', null, `${c.fromPercent} %`),
        h('td', null, `${c.toPercent} %`), h('td', null, c.actor), h('td', null, c.reason ?? ''))))) : null,
    rollback(flag, caller, refresh));
}

function metrics(m) {
  const side = s => `${num(s.requests)} requests, ${(s.errorRate * 100).toFixed(2)} % errors, p95 ${s.p95LatencyMs.toFixed(1)} ms`;
  return h('div', null,
    h('dl', { class: 'figures' },
      h('dt', null, 'cohort'), h('dd', null, side(m.cohort)),
      h('dt', null, 'control'), h('dd', null, side(m.control))),
    m.trigger ? h('p', { class: 'error' }, `Trigger fires: ${m.trigger}`) : h('p', { class: 'ok' }, 'Within limits.'));
}

function rollback(flag, caller, refresh) {
  if (flag.status === 'ROLLED_BACK') return null;
  if (!caller.admin) return h('p', { class: 'muted' }, 'Only admins can roll a flag back.');
  const reason = h('input', { class: 'rollback-reason', size: 48, maxlength: 1024, placeholder: 'reason for the rollback' });
  const message = h('div', null);
  const button = h('button', { type: 'button', class: 'danger rollback' }, 'Roll back');
  button.addEventListener('click', async () => {
    if (!reason.value.trim()) {
      message.replaceChildren(h('p', { class: 'error' }, 'A reason is required.'));
      return;
    }
    button.disabled = true;
    try {
      await upstream('gate', `v1/flags/${encodeURIComponent(flag.flag)}/rollback`,
        { method: 'POST', body: { reason: reason.value.trim() } });
      refresh();
    } catch (e) {
      button.disabled = false;
      message.replaceChildren(errorBox(e));
    }
  });
  return h('div', { class: 'row' }, reason, button, message);
}

// Suite health, seed 002's figures (GET /v1/stats), rates over the last hour, and the open alerts by severity.
import { api, query } from '../api.js';
import { rateChart } from '../chart.js';
import { age, badge, h, link, num, panel, time } from '../dom.js';

const TIERS = ['UNKNOWN', 'BASIC', 'VERIFIED', 'TRUSTED', 'PRIVILEGED'];
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
const SERIES = {
  role_gate_allowed: 'allowed', role_gate_denied: 'denied', role_gate_escalated: 'escalated',
  ceiling_warning: 'ceiling warnings', ceiling_breach: 'ceiling breaches',
};

export async function render({ refresh }) {
  const [health, stats, active, investigating, series] = await Promise.all([
    api('/v1/health/suite'),
    api('/v1/stats'),
    api(`/v1/alerts${query({ status: 'ACTIVE', limit: 200 })}`),
    api(`/v1/alerts${query({ status: 'INVESTIGATING', limit: 200 })}`),
    api(`/v1/dashboard/series${query({ name: Object.keys(SERIES), window: 3600, step: 60 })}`),
  ]);
  const open = [...active.items, ...investigating.items];
  return h('div', null,
    h('div', { class: 'row between' },
      h('h1', null, 'Overview'),
      h('span', { class: 'muted' }, `figures of ${time(stats.generatedAt)} (cached ${stats.cacheTtlSeconds} s) `,
        h('button', { type: 'button', class: 'secondary', id: 'refresh', onclick: () => refresh() }, 'Refresh'))),
    healthPanel(health),
    statsGrid(stats),
    h('div', { class: 'grid wide' },
      rateChart('Role-gate decisions', series, {
        role_gate_allowed: SERIES.role_gate_allowed, role_gate_denied: SERIES.role_gate_denied,
        role_gate_escalated: SERIES.role_gate_escalated,
      }),
      rateChart('Ceilings', series, {
        ceiling_warning: SERIES.ceiling_warning, ceiling_breach: SERIES.ceiling_breach,
      })),
    alertsPanel(open));
}

function healthPanel(health) {
  return panel(null,
    h('div', { class: 'row between' },
      h('h2', null, 'Suite health'),
      h('span', { id: 'cluster-status' }, 'cluster ', badge(health.status))),
    h('div', { class: 'services' }, health.services.map(s => h('div', { class: 'service', dataset: { service: s.name } },
      h('div', { class: 'row between' }, h('span', { class: 'name' }, s.name), badge(s.status)),
      h('div', { class: 'muted' }, s.latencyMs === null || s.latencyMs === undefined ? 'not polled yet'
        : `${s.latencyMs} ms, checked ${age(s.checkedAt)} ago`),
      h('div', { class: 'muted' }, s.detail ?? '')))));
}

function figures(prefix, map, order = Object.keys(map ?? {})) {
  const keys = [...order, ...Object.keys(map ?? {}).filter(k => !order.includes(k))];
  return h('dl', { class: 'figures' }, keys.map(k => [
    h('dt', null, k.replaceAll('_', ' ')),
    h('dd', { dataset: { stat: `${prefix}.${k}` } }, num(map?.[k] ?? 0)),
  ]));
}

function statsGrid(stats) {
  const agents = Object.values(stats.agentsByTier ?? {}).reduce((a, b) => a + b, 0);
  return h('div', { class: 'grid', id: 'stats', dataset: { generatedAt: stats.generatedAt } },
    panel('Agents by tier', h('div', { class: 'big', dataset: { stat: 'agents' } }, num(agents)),
      figures('agentsByTier', stats.agentsByTier, TIERS)),
    panel('Decisions (24 h)', figures('decisions24h', stats.decisions24h)),
    panel('Ceilings (24 h)', figures('ceilings24h', stats.ceilings24h)),
    panel('Now',
      h('dl', { class: 'figures' },
        h('dt', null, 'active leases'), h('dd', { dataset: { stat: 'activeLeases' } }, num(stats.activeLeases)),
        h('dt', null, `log size (${stats.sources?.logSize ?? '?'})`),
        h('dd', { dataset: { stat: 'logSize' } }, num(stats.logSize))),
      h('h3', null, 'Open alerts by severity'),
      figures('activeAlertsBySeverity', stats.activeAlertsBySeverity, SEVERITIES)));
}

function alertsPanel(open) {
  const now = Date.now();
  const groups = SEVERITIES.map(sev => ({ sev, items: open.filter(a => a.severity === sev)
    .sort((a, b) => Date.parse(a.firstSeen) - Date.parse(b.firstSeen)) }));
  return panel('Open alerts',
    open.length === 0 ? h('p', { class: 'muted' }, 'No open alerts.') : null,
    groups.filter(g => g.items.length).map(g => h('div', { class: 'alert-group', dataset: { severity: g.sev } },
      h('div', { class: 'row' }, badge(g.sev), h('strong', null, `${g.items.length} open`),
        h('span', { class: 'muted' }, `oldest ${age(g.items[0].firstSeen, now)}`)),
      h('ul', null, g.items.map(a => h('li', { dataset: { alertId: a.id } },
        link(`#/alerts/${encodeURIComponent(a.id)}`, a.title),
        h('span', { class: 'muted' }, a.agentId ?? '–'),
        badge(a.status),
        h('span', { class: 'muted', dataset: { age: a.id } }, `${age(a.firstSeen, now)} old`)))))),
    h('p', null, link('#/alerts?status=ACTIVE', 'All active alerts →')));
}

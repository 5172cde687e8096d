// Rates over time with uPlot (served by telemetry-service from its webjar; no CDN).
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { h } from './dom.js';

const COLORS = ['#2454c5', '#c53030', '#dd6b20', '#1f8a4c', '#6b46c1', '#718096'];

/**
 * One chart of counters per minute from a /v1/dashboard/series answer; {@code labels} maps counter names to
 * legend labels (and picks which counters to draw).
 */
export function rateChart(title, series, labels) {
  const names = Object.keys(labels).filter(n => series.values[n]);
  const perMinute = 60 / series.stepSeconds;
  const data = [series.timestamps, ...names.map(n => series.values[n].map(v => v * perMinute))];
  const totals = Object.fromEntries(names.map(n => [n, series.values[n].reduce((a, b) => a + b, 0)]));
  const holder = h('div', { class: 'chart', dataset: { chart: title } });
  const figure = h('section', { class: 'panel' },
    h('h2', null, title),
    h('p', { class: 'muted' }, `per minute over the last ${Math.round(series.windowSeconds / 60)} min; totals: `,
      names.map((n, i) => [i ? ', ' : '', h('span', { dataset: { total: n } }, `${labels[n]} ${totals[n]}`)])),
    holder);
  // uPlot measures nothing from the DOM at construction; give it the panel's width once laid out
  requestAnimationFrame(() => {
    const width = Math.max(320, holder.clientWidth || 520);
    new uPlot({
      width, height: 220,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      axes: [{}, { label: 'per min' }],
      series: [{}, ...names.map((n, i) => ({ label: labels[n], stroke: COLORS[i % COLORS.length], width: 2 }))],
    }, data, holder);
  });
  return figure;
}

/**
 * An agent's score over time from gate-service's score history (newest first, as the API answers): the trust
 * score set by registrations and outcomes, and the effective score tiers are read from.
 */
export function scoreChart(history) {
  const changes = [...history].reverse();
  const holder = h('div', { class: 'chart', id: 'score-chart' });
  const figure = h('section', { class: 'panel' }, h('h2', null, 'Score over time'),
    changes.length < 2 ? h('p', { class: 'muted' }, `${changes.length} score change(s) so far; the chart needs two.`) : null,
    holder);
  if (changes.length < 2) {
    holder.hidden = true;
    return figure;
  }
  const data = [changes.map(c => Date.parse(c.changedAt) / 1000), changes.map(c => c.newScore),
    changes.map(c => c.effectiveScore)];
  requestAnimationFrame(() => {
    const width = Math.max(320, holder.clientWidth || 520);
    new uPlot({
      width, height: 220,
      scales: { x: { time: true }, y: { range: () => [0, 1000] } },
      axes: [{}, { label: 'score' }],
      series: [{}, { label: 'trust score', stroke: COLORS[0], width: 2, paths: uPlot.paths.stepped({ align: 1 }) },
        { label: 'effective score', stroke: COLORS[3], width: 2, paths: uPlot.paths.stepped({ align: 1 }) }],
    }, data, holder);
  });
  return figure;
}

import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../../src/experiment/experiment-schema.js';
import { planExperiment } from '../../../src/experiment/experiment-plan.js';
import { csvCell, defaultMetrics, sortRecords, summarise, toCsv, type RunRecord } from '../../../src/experiment/experiment-results.js';
import { formatSummaryTable } from '../../../src/experiment/summary-table.js';
import { experimentPlots, niceTicks, renderPlot } from '../../../src/experiment/svg-plot.js';
import { formatProgress } from '../../../src/experiment/progress-line.js';

const plan = planExperiment(parseExperiment('config: c.yaml\nseeds: 2\nsweep: { params: { nodes.nav.replan: [2s, 10s], nodes.r.k: [0.4, 0.8] } }\n', 'x.yaml'), '/');
const run = (task: number, outcome: string, t: number, extra: Record<string, number | string> = {}): RunRecord => ({
  task,
  setting: plan.tasks[task].setting,
  seed: plan.tasks[task].seed,
  ok: true,
  summary: { outcome, end: 'done', sim_time_s: t, collisions: task % 2, wall_time_s: 3, digest: `d${task}`, ...extra },
  wall_s: 1.5 + task,
});
const records: RunRecord[] = [
  run(0, 'success', 100),
  run(1, 'success', 110),
  run(2, 'battery exhausted', 200),
  run(3, 'success', 220),
  run(4, 'success', 120),
  { task: 5, setting: plan.tasks[5].setting, seed: '2', ok: false, error: 'worker ended, "exit 1"\nstack', wall_s: 0.2 },
  run(6, 'success', 90),
  run(7, 'success', 95),
];

describe('results', () => {
  it('are sorted by setting then seed whatever order they finished in', () => {
    expect(sortRecords([...records].reverse()).map((r) => r.task)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('default metrics: success and numeric keys, without wall-clock ones', () => {
    expect(defaultMetrics(records)).toEqual(['success', 'sim_time_s', 'collisions']);
  });

  it('CSV: one row per run, setting values, seed, metrics, digest, wall time, and the error quoted', () => {
    const csv = toCsv(plan, records, ['success', 'sim_time_s']).trimEnd().split('\n');
    expect(csv[0]).toBe('nodes.nav.replan,nodes.r.k,seed,status,success,sim_time_s,outcome,digest,wall_time_s,error');
    expect(csv[1]).toBe('2s,0.4,1,ok,1,100,success,d0,1.5,');
    expect(csv[3]).toBe('2s,0.8,1,ok,0,200,battery exhausted,d2,3.5,');
    expect(csv[6]).toBe('10s,0.4,2,error,,,,,0.2,"worker ended, ""exit 1""\nstack"'.split('\n')[0]);
    expect(csv).toHaveLength(10); // header + 8 runs, the error's line break inside its quotes
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(NaN)).toBe('');
  });

  it('summaries: stats per setting over finished runs, failures counted, success as a rate', () => {
    const s = summarise(plan, records, ['success', 'sim_time_s']);
    expect(s[1].values).toEqual({ 'nodes.nav.replan': '2s', 'nodes.r.k': 0.8 });
    expect(s[1].success).toMatchObject({ rate: 0.5, successes: 1, n: 2 });
    expect(s[1].metrics.sim_time_s.mean).toBe(210);
    expect(s[2].failed).toBe(1);
    expect(s[2].metrics.sim_time_s.n).toBe(1);
    const table = formatSummaryTable(plan.dimensions, s, ['success', 'sim_time_s']);
    expect(table).toContain('setting 2: nodes.nav.replan=2s  nodes.r.k=0.8  (2 runs)');
    expect(table).toContain('(2 runs, 1 failed)');
    expect(table).toMatch(/success rate\s+2\s+0\.500 \(1\/2\)/);
    expect(table).toMatch(/sim_time_s\s+2\s+210\.0\s+14\.14\s+\[82\.94, 337\.1\]/);
  });

  it('a yes/no metric gets a Wilson interval, which stays inside [0, 1]', () => {
    const yesNo = records.map((r) => (r.summary ? { ...r, summary: { ...r.summary, as_expected: r.task !== 2 } } : r));
    const s = summarise(plan, yesNo, ['as_expected', 'sim_time_s']);
    // setting 0: both runs true → mean 1; a t-interval would be [1, 1]
    expect(s[0].metrics.as_expected.mean).toBe(1);
    expect(s[0].metrics.as_expected.ci95[0]).toBeLessThan(1);
    expect(s[0].metrics.as_expected.ci95[1]).toBe(1);
    // setting 1: one of two → 0.5, interval within [0, 1]
    expect(s[1].metrics.as_expected.mean).toBe(0.5);
    expect(s[1].metrics.as_expected.ci95[0]).toBeGreaterThanOrEqual(0);
    expect(s[1].metrics.as_expected.ci95[1]).toBeLessThanOrEqual(1);
  });

  it('the progress line shows counts, failures and an ETA from the mean run time', () => {
    expect(formatProgress({ done: 2, failed: 1, total: 8, running: 2, elapsedMs: 20_000 }, 8)).toBe('[##------] 2/8 runs · 1 failed · 2 running · 0m20s elapsed · ETA 1m00s');
    expect(formatProgress({ done: 0, failed: 0, total: 8, running: 0, elapsedMs: 0 }, 8)).toContain('ETA …');
  });
});

describe('plots', () => {
  it('one SVG per metric per swept parameter, a series per value of the other', () => {
    const s = summarise(plan, records, ['success', 'sim_time_s']);
    const files = experimentPlots(plan.dimensions, s, ['success', 'sim_time_s']);
    expect([...files.keys()].sort()).toEqual(['sim_time_s-vs-nodes_nav_replan.svg', 'sim_time_s-vs-nodes_r_k.svg', 'success-vs-nodes_nav_replan.svg', 'success-vs-nodes_r_k.svg']);
    const svg = files.get('sim_time_s-vs-nodes_nav_replan.svg')!;
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('>sim_time_s vs replan</text>');
    expect(svg).toContain('class="x-label"');
    expect(svg).toContain('>nodes.nav.replan</text>');
    expect(svg).toContain('>sim_time_s (mean, 95% CI)</text>');
    expect(svg.match(/class="series"/g)).toHaveLength(2);
    expect(svg).toContain('>k=0.4</text>');
    expect(svg).toContain('>k=0.8</text>');
    expect(svg.match(/class="mean"/g)).toHaveLength(4);
    // Setting 3 has one finished run: a mean, no error bar.
    expect(svg.match(/class="error-bar"/g)).toHaveLength(3);
    expect(svg).toContain('>2s</text>');
    expect(svg).toContain('>10s</text>');
  });

  it('numeric x values get a linear axis with round ticks; text is escaped', () => {
    const svg = renderPlot({ title: 'a<b', xLabel: 'x & y', yLabel: 'm', series: [{ label: 's', points: [{ x: 0.4, mean: 1, lo: 0.5, hi: 1.5 }, { x: 0.8, mean: 2, lo: NaN, hi: NaN }] }] });
    expect(svg).toContain('a&lt;b');
    expect(svg).toContain('x &amp; y');
    expect(svg).toContain('>0.5</text>');
    expect(niceTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0.37, 0.83)).toEqual([0.4, 0.5, 0.6, 0.7, 0.8]);
  });

  it('names on the x axis: no lines between them, slanted when long; one series: no legend', () => {
    const points = ['open-field', 'cluttered', 'maze', 'low-battery', 'range-dropout', 'mission-silent'].map((x, i) => ({ x, mean: i < 5 ? 1 : 0, lo: 0.34, hi: 1 }));
    const svg = renderPlot({ title: 'success rate vs scenario', xLabel: 'scenario', yLabel: 'success rate', series: [{ label: 'all settings', points }] });
    expect(svg).not.toContain('<polyline');
    expect(svg.match(/rotate\(-25/g)).toHaveLength(6);
    expect(svg).not.toContain('class="legend"');
    expect(svg.match(/class="mean"/g)).toHaveLength(6);
    // Durations keep their order: a line joins them.
    const durations = renderPlot({ title: 't', xLabel: 'replan', yLabel: 'm', series: [{ label: 'a', points: [{ x: '1s', mean: 1, lo: 0, hi: 2 }, { x: '20s', mean: 2, lo: 1, hi: 3 }] }] });
    expect(durations).toContain('<polyline');
    expect(durations).not.toContain('rotate(-25');
  });
});

import { describe, expect, it } from 'vitest';
import { createDashboardModel } from '../../../src/dashboard/dashboard-model.js';
import { createDashboardView } from '../../../src/dashboard/dashboard-view.js';

const view = createDashboardView();

function model() {
  const m = createDashboardModel();
  m.ingest('strata/demo/cell/state', JSON.stringify({ v: 1, node: 'cell', state: 'online', session: 1, kind: 'sequencer', level: 1, children: ['arm'] }), 0);
  m.ingest('strata/demo/arm/state', JSON.stringify({ v: 1, node: 'arm', state: 'offline', session: 1, reason: 'connection lost (last will)', parent: 'cell' }), 0);
  return m;
}

describe('dashboard view', () => {
  it('nests child cards under their parent and marks liveness in data-state', () => {
    const html = view.trees(model().snapshot(1));
    expect(html).toMatch(/<ul class="tree-root"><li><div class="node" data-tree="demo" data-node="cell" data-state="online">.*<ul><li><div class="node" data-tree="demo" data-node="arm" data-state="offline">/);
    expect(html).toContain('offline: connection lost (last will)');
    expect(html).toContain('1/2 online');
    expect(html).toContain('<span class="level" title="level">L1</span>');
  });

  it('shrinks trees whose every node is offline to one line below the live ones, unless nothing is live', () => {
    const m = model();
    m.ingest('strata/old/x/state', JSON.stringify({ v: 1, node: 'x', state: 'offline', session: 1 }), 0);
    const html = view.trees(m.snapshot(1));
    expect(html.indexOf('data-tree="demo"')).toBeLessThan(html.indexOf('data-tree="old"'));
    expect(html).toContain('<section class="tree dead" data-tree="old"><h2>tree <b>old</b> <span class="count bad">0/1 online</span></h2><p class="muted">every node offline: x</p></section>');
    const alone = createDashboardModel();
    alone.ingest('strata/old/x/state', JSON.stringify({ v: 1, node: 'x', state: 'offline', session: 1 }), 0);
    expect(view.trees(alone.snapshot(1))).toContain('data-node="x" data-state="offline"');
  });

  it('shows the command, progress, plan steps and statistics', () => {
    const m = model();
    m.ingest('strata/demo/cell/status', JSON.stringify({ v: 1, node: 'cell', id: 'b-1', serial: 1, state: 'executing', progress: 0.5, reason: 'step 2 of 2', t: 0, plan: { steps: [{ id: '1', label: 'in', state: 'done' }, { id: '2', label: 'pick', state: 'active', child: 'arm' }] } }), 1);
    m.ingest('strata/demo/cell/health', JSON.stringify({ v: 1, node: 'cell', t: 0, session: 1, period_ms: 1000, cycles: 9, overruns: 3, exec_ms: { last: 1, mean: 0.25, max: 1500 }, rejected: 0, command: { id: 'b-1', serial: 1, verb: 'run', state: 'executing' } }), 2);
    const html = view.trees(m.snapshot(3));
    expect(html).toContain('<span class="verb">run</span> <code>b-1</code><span class="st st-executing">executing</span>');
    expect(html).toContain('<span style="width:50%"></span>');
    expect(html).toContain('<li data-step-state="active"><span class="step-state">active</span> pick <span class="muted">→ arm</span></li>');
    expect(html).toContain('<span class="warn">overruns <b>3</b></span>');
    expect(html).toContain('exec <b>0.25 ms</b> mean, <b>1.5 s</b> max');
    expect(html).toContain('period <b>1.0 s</b>');
  });

  it('escapes every text that came over MQTT', () => {
    const m = model();
    m.ingest('strata/demo/cell/status', JSON.stringify({ v: 1, node: 'cell', id: '"><script>x()</script>', serial: 1, state: 'failed', progress: 0, reason: '<img src=x onerror=alert(1)>', t: 0 }), 1);
    m.ingest('strata/demo/cell/error', JSON.stringify({ v: 1, node: 'cell', t: 0, topic: 'strata/demo/cell/cmd', reason: "it's <b>bad</b>" }), 1);
    const html = view.trees(m.snapshot(2));
    expect(html).not.toMatch(/<script|<img|<b>bad/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('it&#39;s &lt;b&gt;bad&lt;/b&gt;');
  });

  it('draws the map with y up: rover at its pose and heading, trail, planned path, obstacles, targets', () => {
    const m = createDashboardModel();
    m.ingest('strata/r/rover/sense', JSON.stringify({ v: 1, node: 'rover', t: 0, seq: 0, values: { pose: { x: 1, y: 1, theta: 0 }, bounds: [0, 0, 10, 5] } }), 0);
    m.ingest('strata/r/rover/sense', JSON.stringify({ v: 1, node: 'rover', t: 1, seq: 1, values: { pose: { x: 2, y: 3, theta: Math.PI / 2 + 4 * Math.PI }, path: [[2, 3], [8, 4]], obstacles: [[5, 2], { x: 6, y: 2, r: 0.4 }], targets: [{ x: 8, y: 4, id: 'rock-1' }] } }), 1);
    const svg = view.maps(m.snapshot(2));
    expect(svg).toContain('viewBox="0 -5 10 5"');
    expect(svg).toContain('<polyline class="trail" points="1,-1 2,-3"');
    expect(svg).toContain('<polyline class="path" points="2,-3 8,-4"');
    expect(svg.match(/class="obstacle"/g)).toHaveLength(2);
    expect(svg).toContain('r="0.4"');
    expect(svg).toContain('<title>rock-1</title>');
    // theta = 90° (after wrapping 2 turns): the rover points up, which is -90° in SVG.
    expect(svg).toContain('<g class="rover" transform="translate(2 -3) rotate(-90)">');
    expect(svg).toContain('θ 90°');
  });

  it('explains the map convention when no node publishes a pose, and lists rates busiest first', () => {
    const m = model();
    expect(view.maps(m.snapshot(1))).toMatch(/No node publishes a pose.*pose \{x, y, theta\}/);
    for (let t = 0; t < 1000; t += 100) m.ingest('strata/demo/arm/health', '{}', t);
    const rates = view.rates(m.snapshot(1000), 2);
    expect(rates.indexOf('demo/arm/health')).toBeGreaterThan(-1);
    expect(rates.indexOf('demo/arm/health')).toBeLessThan(rates.indexOf('demo/arm/state'));
    expect(rates).not.toContain('demo/cell/state');
    expect(rates).toContain('<td class="num">10</td>');
    expect(rates).toContain('… and 1 quieter topics');
  });
});

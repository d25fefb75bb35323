import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../../sim/render/render-svg.js';
import { Simulation } from '../../../sim/simulation.js';
import { createRandom } from '../../../src/time/random.js';
import { gridWorld, run } from './helpers.js';

describe('SVG rendering', () => {
  const world = gridWorld(['##########', '#S.?..A.?#', '#B.~^X.C.#', '##########']);
  const discovered = world.unknownObstacleCells().slice(0, 1);

  it('draws terrain, obstacles by what the rover knew, targets, base, paths, title and legend', () => {
    const sim = new Simulation(world, {}, createRandom(1));
    run(sim, 2, { v: 0.3, w: 0.1 });
    const svg = renderSvg(world, {
      title: 'run <1> & co',
      notes: ['targets 1/2'],
      knownCells: discovered,
      path: sim.path(),
      planned: [
        [1, 1],
        [3, 1.2],
      ],
      sampled: ['A'],
      pose: sim.truth().pose,
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('run &lt;1&gt; &amp; co');
    expect(svg).toContain('targets 1/2');
    expect(svg.match(/class="obstacle-known"/g)!.length).toBeGreaterThan(0);
    expect(svg.match(/class="obstacle-discovered"/g)).toHaveLength(1);
    expect(svg.match(/class="obstacle-unseen"/g)).toHaveLength(1);
    for (const c of ['soft', 'slope', 'cliff']) expect(svg).toContain(`class="${c}"`);
    expect(svg.match(/class="target target-sampled"/g)).toHaveLength(1);
    expect(svg.match(/class="target target-pending"/g)).toHaveLength(1);
    expect(svg).toMatch(/<polyline id="rover-path" points="[\d.]+,[\d.]+ [\d.]+,[\d.]+/);
    expect(svg).toContain('id="planned-path"');
    expect(svg).toContain('id="rover"');
    expect(svg).toContain('id="base"');
    for (const label of ['obstacle known at start', 'obstacle discovered', 'obstacle never seen', 'target sampled', 'rover path', 'base with charger']) {
      expect(svg).toContain(label);
    }
  });

  it('puts north up: a point further north is drawn higher', () => {
    const svg = renderSvg(world, {
      path: [
        [1, 0.5],
        [1, 1.5],
      ],
    });
    const [, a, b] = /id="rover-path" points="[\d.]+,([\d.]+) [\d.]+,([\d.]+)"/.exec(svg)!;
    expect(Number(b)).toBeLessThan(Number(a));
  });

  it('accepts the known cells as a mask and draws every unknown rock as never seen without it', () => {
    const mask = new Uint8Array(world.width * world.height);
    for (const i of world.unknownObstacleCells()) mask[i] = 1;
    expect(renderSvg(world, { knownCells: mask }).match(/class="obstacle-discovered"/g)).toHaveLength(2);
    expect(renderSvg(world).match(/class="obstacle-unseen"/g)).toHaveLength(2);
    expect(renderSvg(world)).toContain('map: test');
  });
});

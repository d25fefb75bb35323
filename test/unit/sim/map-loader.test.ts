import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../../sim/io/load-scenario-file.js';
import { buildScenario, parseScenarioYaml } from '../../../sim/scenario/build-scenario.js';
import { Simulation } from '../../../sim/simulation.js';
import { parseMapYaml } from '../../../sim/world/parse-map.js';
import { unreachablePlaces } from '../../../sim/world/reachability.js';
import { KNOWN_OBSTACLE, UNKNOWN_OBSTACLE } from '../../../sim/world/world.js';
import { createRandom } from '../../../src/time/random.js';
import { gridWorld } from './helpers.js';

const mapText = (grid: string[], extra = ''): string => `name: m\n${extra}grid: |\n${grid.map((r) => `  ${r}`).join('\n')}\n`;

describe('map loader', () => {
  it('reads the ASCII legend with row 1 as the north edge', () => {
    const w = gridWorld(['#####', '#A?X#', '#S~^#', '#BT.#', '#####']);
    expect(w.width).toBe(5);
    expect(w.height).toBe(5);
    const at = (cx: number, row: number) => w.index(cx, w.height - 1 - row);
    expect(w.obstacle[at(0, 0)]).toBe(KNOWN_OBSTACLE);
    expect(w.obstacle[at(2, 1)]).toBe(UNKNOWN_OBSTACLE);
    expect(w.cliff[at(3, 1)]).toBe(1);
    expect(w.soft[at(2, 2)]).toBe(1);
    expect(w.slope[at(3, 2)]).toBe(15);
    expect(w.targets).toEqual([
      { name: 'A', x: 0.75, y: 1.75 },
      { name: 'T1', x: 1.25, y: 0.75 },
    ]);
    expect(w.start).toEqual({ x: 0.75, y: 1.25, theta: 0 });
    expect(w.base.x).toBe(0.75);
    expect(w.base.y).toBe(0.75);
    // The rover's initial map lacks the unknown rock; the true map has it.
    expect(w.knownObstacles()[at(2, 1)]).toBe(0);
    expect(w.trueObstacles()[at(2, 1)]).toBe(1);
    expect(w.unknownObstacleCells()).toEqual([at(2, 1)]);
  });

  it('draws shapes over the grid and takes a map without a grid', () => {
    const w = parseMapYaml(
      [
        'name: shapes',
        'width: 20',
        'height: 10',
        'cell_size: 0.5',
        'base: { x: 1, y: 1 }',
        'targets: [{ name: far, x: 9, y: 4 }]',
        'shapes:',
        '  - { shape: rect, x: 4, y: 0, w: 0.5, h: 5, kind: wall }',
        '  - { shape: rect, x: 4, y: 2, w: 0.5, h: 1, kind: free }',
        '  - { shape: circle, x: 7, y: 2, r: 0.6, kind: rock, known: false }',
        '  - { shape: circle, x: 2, y: 4, r: 0.5, kind: slope, slope_deg: 25 }',
      ].join('\n'),
      'shapes.yaml',
    );
    expect(w.isBlockedAt(4.25, 0.25)).toBe(true);
    expect(w.isBlockedAt(4.25, 2.25)).toBe(false);
    expect(w.obstacle[w.index(w.cellOf(7.1), w.cellOf(2.1))]).toBe(UNKNOWN_OBSTACLE);
    expect(w.slopeAt(2.1, 4.1)).toBe(25);
    expect(w.start).toEqual({ x: 1, y: 1, theta: 0 });
    expect(unreachablePlaces(w)).toEqual([]);
  });

  it('names the file, row and column of a bad grid character', () => {
    expect(() => parseMapYaml(mapText(['#####', '#S.q#', '#B..#', '#####']), 'bad.yaml')).toThrow(
      /bad\.yaml: grid row 2, column 4: unknown character "q"/,
    );
  });

  it('rejects ragged rows, a missing base and a target on a rock', () => {
    expect(() => parseMapYaml(mapText(['#####', '#S.#', '#B..#', '#####']), 'r.yaml')).toThrow(/row 2 has 4 characters but row 1 has 5/);
    expect(() => parseMapYaml(mapText(['#####', '#S..#', '#####']), 'nb.yaml')).toThrow(/nb\.yaml: base: the map has no base/);
    expect(() => parseMapYaml(mapText(['#####', '#S..#', '#B..#', '#####'], 'targets: [{ name: x, x: 0.25, y: 0.25 }]\n'), 't.yaml')).toThrow(
      /target "x" at \(0\.25, 0\.25\) m is on an obstacle/,
    );
  });

  it('names the field of a schema error', () => {
    expect(() => parseMapYaml(mapText(['#B#'], 'cell_size: -1\n'), 'cs.yaml')).toThrow(/^cs\.yaml: cell_size: /);
    expect(() => parseMapYaml('name: m\nwidth: 4\nheight: 4\nbase: {x: 1, y: 1}\nshapes: [{ shape: circle, x: 1, y: 1, r: 0, kind: rock }]', 's.yaml')).toThrow(
      /s\.yaml: shapes\.0\.r: /,
    );
    expect(() => parseMapYaml('name: m\nbase: {x: 1, y: 1}\n', 'g.yaml')).toThrow(/give either a "grid" or both "width" and "height"/);
    expect(() => parseMapYaml('name: m\ncolour: red\ngrid: "B"\n', 'u.yaml')).toThrow(/u\.yaml: .*colour/);
    expect(() => parseMapYaml('name: [', 'y.yaml')).toThrow(/y\.yaml: not valid YAML/);
  });
});

describe('scenarios', () => {
  const dir = join(import.meta.dirname, '../../../configs/scenarios');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

  it('ships the six scenarios', () => {
    expect(files.sort()).toEqual(['cluttered.yaml', 'low-battery.yaml', 'maze.yaml', 'mission-silent.yaml', 'open-field.yaml', 'range-dropout.yaml']);
  });

  it.each(files)('%s loads, keeps every place reachable and runs', (file) => {
    for (const seed of [1, 2, 3]) {
      const s = loadScenarioFile(join(dir, file), createRandom(seed));
      expect(unreachablePlaces(s.world)).toEqual([]);
      expect(s.rockCells.length).toBe(s.spec.unknown_rocks);
      expect(s.world.targets.length).toBeGreaterThan(0);
      const sim = new Simulation(s.world, s.rover, createRandom(seed), { events: s.events });
      sim.step(100, { v: 0.1, w: 0 });
      expect(sim.truth().battery).toBeCloseTo(s.rover.battery.initial, 2);
    }
  });

  it('selects targets by name and reports an unknown one with the choices', () => {
    const map = gridWorld(['######', '#SA.C#', '#B...#', '######']);
    const spec = parseScenarioYaml('name: s\nmap: x.yaml\ntargets: [C, { name: extra, x: 1.75, y: 0.75 }]\nbattery: 0.4\n');
    const s = buildScenario(spec, map, createRandom(1));
    expect(s.world.targets.map((t) => t.name)).toEqual(['C', 'extra']);
    expect(s.rover.battery.initial).toBe(0.4);
    const bad = parseScenarioYaml('name: s\nmap: x.yaml\ntargets: [Z]\n');
    expect(() => buildScenario(bad, map, createRandom(1), 'sc.yaml')).toThrow(/sc\.yaml: targets\.0: map "test" has no target "Z"; its targets are A, C/);
  });

  it('rejects a dropout window that ends before it starts, naming the field', () => {
    expect(() => parseScenarioYaml('name: s\nmap: x\nevents: [{ kind: range_dropout, start_s: 5, end_s: 2 }]', 'w.yaml')).toThrow(
      /w\.yaml: events\.0\.end_s: end_s must be after start_s/,
    );
  });
});

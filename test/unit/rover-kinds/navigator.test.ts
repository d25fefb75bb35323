import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Json } from '../../../src/contracts/ids.js';
import { navigatorKind } from '../../../nodes/navigator/navigator.js';
import { navigatorSenseSchema, type XY } from '../../../nodes/rover/contracts.js';
import { FakeChild, KindHarness, contextFor } from './kind-harness.js';

// A 12 m x 8 m field: a known wall at x = 5..5.5 m from the south edge up to y = 6 m,
// and a closed room (x 8..11, y 1..4) that nothing can enter.
const MAP = `name: walled
cell_size: 0.5
grid: |
  ########################
  #......................#
  #......................#
  #......................#
  #.........#............#
  #.........#............#
  #.........#.........T..#
  #.........#....#######.#
  #.........#....#.....#.#
  #.BB......#....#.....#.#
  #.BB.S....#....#.....#.#
  #.........#....#######.#
  #.........#............#
  #.........#............#
  #.........#............#
  ########################
`;

function scenarioFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-nav-'));
  writeFileSync(join(dir, 'map.yaml'), MAP);
  writeFileSync(join(dir, 'scenario.yaml'), 'name: walled\nmap: map.yaml\n');
  return join(dir, 'scenario.yaml');
}

function pilotSense(x: number, y: number, extra: Record<string, Json> = {}): Record<string, Json> {
  return { x, y, theta: 0, pose_sd: 0.1, v: 0, battery: 0.9, charging: false, at_base: false, sample_ok: false, scan: null, hazard: null, ...extra };
}

function setup(params: Record<string, unknown>) {
  const pilot = new FakeChild('pilot');
  const ctx = contextFor(navigatorKind, params, { id: 'navigator', children: ['pilot'], periodMs: 1000, parentPeriodMs: 1000, replanMs: 1000, level: 3 });
  return { pilot, h: new KindHarness(navigatorKind, ctx, { pilot }) };
}

/** Points every 5 cm along a polyline. */
function along(path: readonly XY[]): XY[] {
  const out: XY[] = [];
  for (let i = 1; i < path.length; i++) {
    const [ax, ay] = path[i - 1];
    const [bx, by] = path[i];
    const n = Math.ceil(Math.hypot(bx - ax, by - ay) / 0.05);
    for (let k = 0; k <= n; k++) out.push([ax + ((bx - ax) * k) / n, ay + ((by - ay) * k) / n]);
  }
  return out;
}

describe('navigator: goto', () => {
  it('plans around a known wall and sends the path to the pilot as follow', () => {
    const { pilot, h } = setup({ scenario: scenarioFile() });
    pilot.feel(pilotSense(2.5, 2.5));
    h.command('g1', 'goto', { x: 6.6, y: 2.6 });
    const out = h.step();
    expect(out.status?.state).toBe('executing');
    expect(pilot.command).toMatchObject({ id: 'g1.f1', verb: 'follow' });
    const path = pilot.command!.args!.path as XY[];
    expect(path[0]).toEqual([2.5, 2.5]);
    expect(path.at(-1)).toEqual([6.6, 2.6]);
    // The wall (x 5..5.5, y 0.5..6) is only passable north of y = 6.
    expect(Math.max(...path.map((p) => p[1]))).toBeGreaterThan(6);
    for (const [x, y] of along(path)) expect(x >= 4.8 && x <= 5.7 && y < 6.2).toBe(false);
    expect(out.status?.plan?.steps.length).toBe(path.length - 1);
    expect(out.health).toMatchObject({ replans: 0 });
  });

  it('re-plans when scans reveal an obstacle across the path: new follow id, replans counted, discovered cells reported', () => {
    const { pilot, h } = setup({ map: { width: 40, height: 20, resolution: 0.5 } });
    pilot.feel(pilotSense(2, 5));
    h.command('g2', 'goto', { x: 15, y: 5 });
    h.step();
    const first = pilot.command!.args!.path as XY[];
    expect(first).toEqual([[2, 5], [15, 5]]);
    // Two scans from (6, 5) see a wall at x = 8.1 from y = 2.5 to 7.5.
    const rays: Array<[number, number, boolean]> = [];
    for (let y = 2.5; y <= 7.5; y += 0.25) rays.push([8.1, y, true]);
    pilot.feel(pilotSense(6, 5, { scan: { x: 6, y: 5, rays } }));
    pilot.feel(pilotSense(6, 5, { scan: { x: 6, y: 5, rays } }));
    const out = h.step();
    expect(pilot.command).toMatchObject({ id: 'g2.f2', verb: 'follow' });
    expect(out.health).toMatchObject({ replans: 1 });
    expect(out.status?.reason).toMatch(/newly sensed obstacles block the path/);
    const path = pilot.command!.args!.path as XY[];
    for (const [x, y] of along(path)) expect(x >= 7.9 && x <= 8.6 && y >= 2.4 && y <= 7.6).toBe(false);
    const sense = navigatorSenseSchema.parse(out.sense);
    expect(sense.replans).toBe(1);
    expect(sense.discovered.length).toBeGreaterThanOrEqual(10);
    expect(sense.discovered.every(([x]) => x === 8.25)).toBe(true);
    expect(sense.path).toEqual(path);
  });

  it('fails with a reason when the goal is cut off, and when it lies in an obstacle', () => {
    const { pilot, h } = setup({ scenario: scenarioFile() });
    pilot.feel(pilotSense(2.5, 2.5));
    h.command('g3', 'goto', { x: 9.25, y: 3.25 });
    h.step();
    expect(h.ended?.state).toBe('failed');
    expect(h.ended?.reason).toMatch(/no path to \(9.25, 3.25\): no path: the goal is cut off/);
    h.endTask();
    h.command('g4', 'goto', { x: 5.25, y: 3, tolerance: 0.2 });
    h.step();
    expect(h.ended?.reason).toMatch(/inside an obstacle/);
  });

  it('is done when the pilot finishes within tolerance, and re-plans with a new id when the pilot fails', () => {
    const { pilot, h } = setup({ map: { width: 40, height: 20, resolution: 0.5 } });
    pilot.feel(pilotSense(2, 5));
    h.command('g5', 'goto', { x: 6, y: 5 });
    h.step();
    pilot.report('failed', 'reflex offline');
    h.step();
    expect(pilot.command?.id).toBe('g5.f2');
    expect(h.last.status?.reason).toMatch(/the pilot failed the path: reflex offline/);
    pilot.feel(pilotSense(5.9, 5.05));
    pilot.report('done');
    h.step();
    expect(h.ended?.state).toBe('done');
  });
});

describe('navigator: sensing', () => {
  it('does not take hits the known map explains (next to a known wall) for new obstacles', () => {
    const { pilot, h } = setup({ scenario: scenarioFile() });
    // From (3, 4), beams end 3 cm short of the wall's west face (x = 5): pose error, not a rock.
    const rays: Array<[number, number, boolean]> = [];
    for (let y = 2; y <= 5; y += 0.25) rays.push([4.97, y, true]);
    for (let k = 0; k < 3; k++) pilot.feel(pilotSense(3, 4, { scan: { x: 3, y: 4, rays } }));
    const out = h.step();
    expect(navigatorSenseSchema.parse(out.sense).discovered).toEqual([]);
  });

  it('escapes along obstacles when newly found rocks close the safety margins around the rover', () => {
    const { pilot, h } = setup({ map: { width: 40, height: 20, resolution: 0.5 } });
    // A ring of rocks found two cells out, with a one-cell gap to the west: the rover's
    // pocket is cut off by the rocks' safety margins, but not by the rocks themselves.
    const rays: Array<[number, number, boolean]> = [];
    for (let cx = 8; cx <= 12; cx++) {
      for (let cy = 8; cy <= 12; cy++) {
        const ring = cx === 8 || cx === 12 || cy === 8 || cy === 12;
        if (ring && !(cx === 8 && cy === 10)) rays.push([cx * 0.5 + 0.25, cy * 0.5 + 0.25, true]);
      }
    }
    pilot.feel(pilotSense(5.25, 5.25, { scan: { x: 5.25, y: 5.25, rays } }));
    pilot.feel(pilotSense(5.25, 5.25, { scan: { x: 5.25, y: 5.25, rays } }));
    h.command('g', 'goto', { x: 1.5, y: 5.25 });
    const out = h.step();
    expect(out.status?.state).toBe('executing');
    const path = pilot.command?.args?.path as XY[];
    expect(path).toEqual([[5.25, 5.25], [1.5, 5.25]]); // straight out through the gap
    expect(out.status?.reason).toMatch(/boxed in by safety margins: leaving along the obstacles/);
    expect(pilot.command?.verb).toBe('follow');
  });
});

describe('navigator: sample and charge', () => {
  it('passes sample to the pilot near the target, and refuses it far away', () => {
    const { pilot, h } = setup({});
    pilot.feel(pilotSense(3, 3));
    h.command('s', 'sample', { target: 'A', x: 3.2, y: 3 });
    h.step();
    expect(pilot.command).toMatchObject({ id: 's.s0', verb: 'sample' });
    pilot.report('done');
    h.step();
    expect(h.ended?.state).toBe('done');
    h.endTask();
    h.command('s2', 'sample', { target: 'B', x: 9, y: 9 });
    h.step();
    expect(h.ended?.reason).toMatch(/from B, beyond sample_reach_m/);
  });

  it('holds the pilot while charging at the base until the battery is full enough; fails away from the base', () => {
    const { pilot, h } = setup({});
    pilot.feel(pilotSense(1.5, 1.5, { at_base: true, charging: true, battery: 0.5 }));
    h.command('c', 'charge', { until: 0.9 });
    h.step();
    expect(pilot.command).toMatchObject({ id: 'c.hold', verb: 'hold' });
    expect(h.ended).toBeUndefined();
    pilot.feel(pilotSense(1.5, 1.5, { at_base: true, charging: true, battery: 0.91 }));
    h.step();
    expect(h.ended?.state).toBe('done');
    h.endTask();
    pilot.feel(pilotSense(8, 8, { battery: 0.4 }));
    h.command('c2', 'charge', {});
    for (let i = 0; i < 5 && !h.ended; i++) h.step();
    expect(h.ended?.reason).toMatch(/not at the base/);
  });
});

import { parseMapYaml } from '../../../sim/world/parse-map.js';
import type { World } from '../../../sim/world/world.js';

/** A world from grid rows (row 0 = north), cells of `cellSize` m. */
export function gridWorld(rows: string[], cellSize = 0.5, extra = ''): World {
  const grid = rows.map((r) => `  ${r}`).join('\n');
  return parseMapYaml(`name: test\ncell_size: ${cellSize}\n${extra}grid: |\n${grid}\n`, 'test.yaml');
}

/** An open 20x20 m room (40x40 cells) with walls around it and the base in the south-west corner. */
export function openRoom(): World {
  const rows: string[] = [];
  for (let r = 0; r < 40; r++) {
    if (r === 0 || r === 39) rows.push('#'.repeat(40));
    else if (r === 37) rows.push(`#BB${'.'.repeat(36)}#`);
    else rows.push(`#${'.'.repeat(38)}#`);
  }
  return gridWorld(rows);
}

/** Steps the simulation `seconds` in 10 ms steps with constant actuators. */
export function run(sim: { step(dt: number, a: object): void }, seconds: number, act: object, dtMs = 10): void {
  const n = Math.round((seconds * 1000) / dtMs);
  for (let i = 0; i < n; i++) sim.step(dtMs, act);
}

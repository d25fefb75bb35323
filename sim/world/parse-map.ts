import { parse as parseYaml } from 'yaml';
import { formatZodError } from './format-zod-error.js';
import { mapSchema, type MapSpec, type Shape } from './map-schema.js';
import { KNOWN_OBSTACLE, NO_OBSTACLE, UNKNOWN_OBSTACLE, World, type Base, type Pose, type Target } from './world.js';

const LEGEND = '". free, # rock, ? unknown rock, ~ soft, ^ slope, X cliff, B base, S start, T or another capital letter a target"';

/** Parses map YAML text into a {@link World}; `source` (a file name) prefixes every error message. */
export function parseMapYaml(text: string, source = 'map'): World {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new Error(`${source}: not valid YAML: ${(err as Error).message}`);
  }
  return buildMap(raw, source);
}

/** Validates a parsed map object (see {@link mapSchema}) and builds the {@link World}. */
export function buildMap(raw: unknown, source = 'map'): World {
  const parsed = mapSchema.safeParse(raw);
  if (!parsed.success) throw new Error(formatZodError(source, parsed.error));
  return buildWorld(parsed.data, source);
}

function gridRows(spec: MapSpec, source: string): string[] {
  if (spec.grid === undefined) return [];
  const rows = spec.grid.split('\n').map((r) => r.replace(/\s+$/, ''));
  while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
  while (rows.length > 0 && rows[0] === '') rows.shift();
  if (rows.length === 0) throw new Error(`${source}: grid: is empty; draw at least one row`);
  const w = rows[0].length;
  rows.forEach((r, i) => {
    if (r.length !== w) {
      throw new Error(`${source}: grid: row ${i + 1} has ${r.length} characters but row 1 has ${w}; make every row the same length`);
    }
  });
  return rows;
}

function buildWorld(spec: MapSpec, source: string): World {
  const rows = gridRows(spec, source);
  const width = spec.width ?? rows[0]?.length ?? 0;
  const height = spec.height ?? rows.length;
  if (rows.length > 0 && (rows.length !== height || rows[0].length !== width)) {
    throw new Error(
      `${source}: width/height (${width}x${height}) disagree with the grid (${rows[0].length}x${rows.length}); drop width/height or fix them`,
    );
  }
  const n = width * height;
  const obstacle = new Uint8Array(n);
  const soft = new Uint8Array(n);
  const cliff = new Uint8Array(n);
  const slope = new Float32Array(n);
  const cs = spec.cell_size;
  const targets: Target[] = [];
  const baseCells: Array<[number, number]> = [];
  let start: Pose | undefined;
  let tCount = 0;

  rows.forEach((row, r) => {
    const cy = height - 1 - r;
    for (let cx = 0; cx < row.length; cx++) {
      const ch = row[cx];
      const i = cy * width + cx;
      const center = { x: (cx + 0.5) * cs, y: (cy + 0.5) * cs };
      if (ch === '.' || ch === ' ') continue;
      else if (ch === '#') obstacle[i] = KNOWN_OBSTACLE;
      else if (ch === '?') obstacle[i] = UNKNOWN_OBSTACLE;
      else if (ch === '~') soft[i] = 1;
      else if (ch === '^') slope[i] = spec.slope_deg;
      else if (ch === 'X') cliff[i] = 1;
      else if (ch === 'B') baseCells.push([cx, cy]);
      else if (ch === 'S') {
        if (start) throw new Error(`${source}: grid row ${r + 1}, column ${cx + 1}: a second "S"; mark one start only`);
        start = { ...center, theta: 0 };
      } else if (ch === 'T') targets.push({ name: `T${++tCount}`, ...center });
      else if (ch >= 'A' && ch <= 'Z') {
        if (targets.some((t) => t.name === ch)) {
          throw new Error(`${source}: grid row ${r + 1}, column ${cx + 1}: target "${ch}" appears twice; use each letter once (or "T")`);
        }
        targets.push({ name: ch, ...center });
      } else {
        throw new Error(`${source}: grid row ${r + 1}, column ${cx + 1}: unknown character "${ch}"; the legend is ${LEGEND}`);
      }
    }
  });

  spec.shapes.forEach((shape, k) => drawShape(shape, k));

  function drawShape(shape: Shape, k: number): void {
    let hit = 0;
    for (let cy = 0; cy < height; cy++) {
      for (let cx = 0; cx < width; cx++) {
        const x = (cx + 0.5) * cs;
        const y = (cy + 0.5) * cs;
        const inside =
          shape.shape === 'rect'
            ? x >= shape.x && x <= shape.x + shape.w && y >= shape.y && y <= shape.y + shape.h
            : (x - shape.x) ** 2 + (y - shape.y) ** 2 <= shape.r ** 2;
        if (!inside) continue;
        hit++;
        const i = cy * width + cx;
        switch (shape.kind) {
          case 'rock':
          case 'wall':
            obstacle[i] = shape.known ? KNOWN_OBSTACLE : UNKNOWN_OBSTACLE;
            break;
          case 'soft':
            soft[i] = 1;
            break;
          case 'slope':
            slope[i] = shape.slope_deg ?? spec.slope_deg;
            break;
          case 'cliff':
            cliff[i] = 1;
            break;
          case 'free':
            obstacle[i] = NO_OBSTACLE;
            soft[i] = 0;
            cliff[i] = 0;
            slope[i] = 0;
        }
      }
    }
    if (hit === 0) {
      throw new Error(`${source}: shapes.${k}: covers no cell centre of the ${width * cs}x${height * cs} m map; move or enlarge it`);
    }
  }

  for (const [k, t] of spec.targets.entries()) {
    if (targets.some((o) => o.name === t.name)) {
      throw new Error(`${source}: targets.${k}.name: "${t.name}" is already a target; give each target its own name`);
    }
    targets.push({ ...t });
  }

  let base: Base;
  if (spec.base) base = { ...spec.base };
  else if (baseCells.length > 0) base = baseFromCells(baseCells, cs);
  else throw new Error(`${source}: base: the map has no base; put a "B" in the grid or set base: {x, y, radius}`);

  const world = new World({
    name: spec.name,
    width,
    height,
    cellSize: cs,
    obstacle,
    soft,
    cliff,
    slope,
    targets,
    base,
    start: spec.start ?? start ?? { x: base.x, y: base.y, theta: 0 },
  });
  checkPlaces(world, source);
  return world;
}

function baseFromCells(cells: Array<[number, number]>, cs: number): Base {
  let sx = 0;
  let sy = 0;
  for (const [cx, cy] of cells) {
    sx += (cx + 0.5) * cs;
    sy += (cy + 0.5) * cs;
  }
  const x = sx / cells.length;
  const y = sy / cells.length;
  let radius = cs;
  for (const [cx, cy] of cells) radius = Math.max(radius, Math.hypot((cx + 0.5) * cs - x, (cy + 0.5) * cs - y) + cs / 2);
  return { x, y, radius };
}

/** Start, base and targets must stand on open, safe ground, or no mission could succeed. */
export function checkPlaces(world: World, source: string): void {
  const places: Array<[string, number, number]> = [
    ['start', world.start.x, world.start.y],
    ['base', world.base.x, world.base.y],
    ...world.targets.map((t): [string, number, number] => [`target "${t.name}"`, t.x, t.y]),
  ];
  for (const [what, x, y] of places) {
    if (x < 0 || y < 0 || x >= world.widthM || y >= world.heightM) {
      throw new Error(`${source}: ${what} at (${x}, ${y}) m is outside the ${world.widthM}x${world.heightM} m map`);
    }
    if (world.isBlockedAt(x, y) || world.cliffAt(x, y)) {
      throw new Error(`${source}: ${what} at (${x}, ${y}) m is on an obstacle or cliff; move it to open ground`);
    }
  }
}

import { KNOWN_OBSTACLE, NO_OBSTACLE, type Pose, type World } from '../world/world.js';

/** What to draw besides the world itself. */
export interface RenderOptions {
  title?: string;
  /** Lines of text under the title (e.g. the run summary). */
  notes?: readonly string[];
  /**
   * Obstacle cells the rover came to know (cell indices, or a 0/1 mask of the grid). Obstacles
   * known at start are drawn as such; unknown ones in this set as "discovered"; the rest as
   * "never seen". Omit it to draw every unknown obstacle as never seen.
   */
  knownCells?: Iterable<number> | Uint8Array;
  /** The rover's path (m). */
  path?: ReadonlyArray<readonly [number, number]>;
  /** A planned path (m), drawn dashed. */
  planned?: ReadonlyArray<readonly [number, number]>;
  /** Names of the sampled targets. */
  sampled?: Iterable<string>;
  /** The rover's final pose, drawn as a triangle. */
  pose?: Pose;
  /** Pixels per metre. Default 24. */
  scale?: number;
}

const COLORS = {
  ground: '#f4f1ea',
  soft: '#e6cf9a',
  slope: '#b99a7a',
  cliff: '#b3261e',
  known: '#3c3c3c',
  discovered: '#e8710a',
  unseen: '#c8c8c8',
  base: '#1a73e8',
  path: '#1a73e8',
  planned: '#8e24aa',
  targetDone: '#188038',
  targetTodo: '#ffffff',
};

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function toMask(world: World, cells: Iterable<number> | Uint8Array | undefined): Uint8Array {
  if (cells instanceof Uint8Array && cells.length === world.width * world.height) return cells;
  const mask = new Uint8Array(world.width * world.height);
  if (cells) for (const i of cells) if (i >= 0 && i < mask.length) mask[i] = 1;
  return mask;
}

/**
 * Draws the world as a standalone SVG document (a string): terrain, obstacles as the
 * rover came to know them, targets (sampled or not), the base, the rover's path and an
 * optional planned path, with a title and a legend. North is up.
 */
export function renderSvg(world: World, options: RenderOptions = {}): string {
  const s = options.scale ?? 24;
  const cs = world.cellSize * s;
  const notes = options.notes ?? [];
  const top = 44 + notes.length * 16;
  const left = 12;
  const mapW = world.widthM * s;
  const mapH = world.heightM * s;
  const legendW = 200;
  const width = left + mapW + 16 + legendW;
  const height = Math.max(top + mapH + 12, top + 300);
  const px = (x: number): number => +(left + x * s).toFixed(2);
  const py = (y: number): number => +(top + (world.heightM - y) * s).toFixed(2);
  const known = toMask(world, options.knownCells);
  const sampled = new Set(options.sampled ?? []);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${left}" y="26" font-size="18" font-weight="bold">${esc(options.title ?? `map: ${world.name}`)}</text>`,
  );
  notes.forEach((n, k) => out.push(`<text x="${left}" y="${44 + k * 16}" font-size="12">${esc(n)}</text>`));
  out.push(`<g id="terrain"><rect x="${left}" y="${top}" width="${mapW}" height="${mapH}" fill="${COLORS.ground}"/>`);

  // Runs of equal cells along each row, so a 40x30 map is tens of rects, not a thousand.
  const classOf = (i: number): string => {
    const o = world.obstacle[i];
    if (o === KNOWN_OBSTACLE) return 'obstacle-known';
    if (o !== NO_OBSTACLE) return known[i] ? 'obstacle-discovered' : 'obstacle-unseen';
    if (world.cliff[i]) return 'cliff';
    if (world.soft[i]) return 'soft';
    if (world.slope[i] > 0) return 'slope';
    return '';
  };
  const fill: Record<string, string> = {
    'obstacle-known': COLORS.known,
    'obstacle-discovered': COLORS.discovered,
    'obstacle-unseen': COLORS.unseen,
    cliff: COLORS.cliff,
    soft: COLORS.soft,
    slope: COLORS.slope,
  };
  const layers: Record<string, string[]> = {};
  for (let cy = 0; cy < world.height; cy++) {
    let cx = 0;
    while (cx < world.width) {
      const c = classOf(cy * world.width + cx);
      let end = cx + 1;
      while (end < world.width && classOf(cy * world.width + end) === c) end++;
      if (c !== '') {
        const extra = c === 'obstacle-unseen' ? ` stroke="#888" stroke-dasharray="2,2" stroke-width="0.8"` : '';
        (layers[c] ??= []).push(
          `<rect class="${c}" x="${px(cx * world.cellSize)}" y="${py((cy + 1) * world.cellSize)}" width="${+((end - cx) * cs).toFixed(2)}" height="${+cs.toFixed(2)}" fill="${fill[c]}"${extra}/>`,
        );
      }
      cx = end;
    }
  }
  for (const c of ['soft', 'slope', 'cliff', 'obstacle-known', 'obstacle-discovered', 'obstacle-unseen']) out.push(...(layers[c] ?? []));
  out.push('</g>');

  const b = world.base;
  out.push(
    `<g id="base"><circle cx="${px(b.x)}" cy="${py(b.y)}" r="${+(b.radius * s).toFixed(2)}" fill="${COLORS.base}" fill-opacity="0.2" stroke="${COLORS.base}" stroke-width="2"/>`,
    `<text x="${px(b.x)}" y="${py(b.y) + 5}" font-size="14" font-weight="bold" text-anchor="middle" fill="${COLORS.base}">B</text></g>`,
  );
  out.push('<g id="targets">');
  for (const t of world.targets) {
    const done = sampled.has(t.name);
    out.push(
      `<circle class="target ${done ? 'target-sampled' : 'target-pending'}" cx="${px(t.x)}" cy="${py(t.y)}" r="${+(0.3 * s).toFixed(2)}" fill="${done ? COLORS.targetDone : COLORS.targetTodo}" stroke="${COLORS.targetDone}" stroke-width="2"/>`,
      `<text x="${px(t.x) + 0.4 * s}" y="${py(t.y) - 0.3 * s}" font-size="12" fill="#111">${esc(t.name)}</text>`,
    );
  }
  out.push('</g>');
  const line = (pts: ReadonlyArray<readonly [number, number]>, id: string, attrs: string): void => {
    if (pts.length < 2) return;
    out.push(`<polyline id="${id}" points="${pts.map(([x, y]) => `${px(x)},${py(y)}`).join(' ')}" fill="none" ${attrs}/>`);
  };
  if (options.planned) line(options.planned, 'planned-path', `stroke="${COLORS.planned}" stroke-width="2" stroke-dasharray="6,4"`);
  if (options.path) line(options.path, 'rover-path', `stroke="${COLORS.path}" stroke-width="2.5" stroke-linejoin="round"`);
  if (options.pose) {
    const { x, y, theta } = options.pose;
    const r = 0.35 * s;
    const pt = (a: number, k: number): string => `${+(px(x) + Math.cos(theta + a) * r * k).toFixed(2)},${+(py(y) - Math.sin(theta + a) * r * k).toFixed(2)}`;
    out.push(`<polygon id="rover" points="${pt(0, 1.3)} ${pt(2.5, 1)} ${pt(-2.5, 1)}" fill="${COLORS.path}" stroke="#fff"/>`);
  }
  out.push(legend(left + mapW + 16, top, world));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function legend(x: number, y: number, world: World): string {
  const rows: Array<[string, string]> = [
    [`<rect width="14" height="14" fill="${COLORS.known}"/>`, 'obstacle known at start'],
    [`<rect width="14" height="14" fill="${COLORS.discovered}"/>`, 'obstacle discovered'],
    [`<rect width="14" height="14" fill="${COLORS.unseen}" stroke="#888" stroke-dasharray="2,2"/>`, 'obstacle never seen'],
    [`<rect width="14" height="14" fill="${COLORS.soft}"/>`, 'soft ground'],
    [`<rect width="14" height="14" fill="${COLORS.slope}"/>`, 'slope'],
    [`<rect width="14" height="14" fill="${COLORS.cliff}"/>`, 'cliff (hazard)'],
    [`<circle cx="7" cy="7" r="7" fill="${COLORS.base}" fill-opacity="0.2" stroke="${COLORS.base}"/>`, 'base with charger'],
    [`<circle cx="7" cy="7" r="6" fill="${COLORS.targetDone}" stroke="${COLORS.targetDone}"/>`, 'target sampled'],
    [`<circle cx="7" cy="7" r="6" fill="${COLORS.targetTodo}" stroke="${COLORS.targetDone}" stroke-width="2"/>`, 'target not sampled'],
    [`<line x1="0" y1="7" x2="14" y2="7" stroke="${COLORS.path}" stroke-width="2.5"/>`, 'rover path'],
    [`<line x1="0" y1="7" x2="14" y2="7" stroke="${COLORS.planned}" stroke-width="2" stroke-dasharray="4,3"/>`, 'planned path'],
  ];
  const out = [`<g id="legend" transform="translate(${x},${y})" font-size="12">`, `<text x="0" y="0" font-weight="bold">legend</text>`];
  rows.forEach(([icon, label], k) => {
    out.push(`<g transform="translate(0,${12 + k * 22})">${icon}<text x="22" y="12">${esc(label)}</text></g>`);
  });
  const scaleY = 12 + rows.length * 22 + 10;
  out.push(`<text x="0" y="${scaleY + 12}">${world.width}x${world.height} cells of ${world.cellSize} m</text>`);
  out.push('</g>');
  return out.join('');
}

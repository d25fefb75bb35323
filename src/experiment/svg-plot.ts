import { parseDuration } from '../config/duration.js';
import type { SettingSummary } from './experiment-results.js';
import { SUCCESS } from './experiment-results.js';
import type { SweepValue } from './experiment-schema.js';

/** One point of a plot: a mean and its 95 % interval (NaN bounds: no bar). */
export interface PlotPoint {
  x: SweepValue;
  mean: number;
  lo: number;
  hi: number;
}

/** A line of points (one value of the other swept parameters). */
export interface PlotSeries {
  label: string;
  points: PlotPoint[];
}

export interface PlotSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: PlotSeries[];
}

const W = 640;
const M = { left: 70, right: 170, top: 40 };
/** Plot area height; the picture grows below it when category labels are slanted. */
const PH = 290;
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const r1 = (x: number): string => String(Math.round(x * 10) / 10);

/** About five round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0];
  if (lo === hi) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * A metric against one swept parameter as an SVG: the mean of each setting with its 95 %
 * interval as an error bar, one coloured series per value of the other parameters.
 * Numeric parameters get a linear axis, others (durations, names) evenly spaced categories.
 */
export function renderPlot(spec: PlotSpec): string {
  const all = spec.series.flatMap((s) => s.points);
  const numeric = all.every((p) => typeof p.x === 'number');
  const cats = [...new Set(all.map((p) => String(p.x)))];
  const ordered = numeric || cats.every((c) => parseDuration(c) !== undefined);
  const pw = W - M.left - M.right;
  const ph = PH;
  // Long category names would run into each other: slant them, and make room below.
  const longest = Math.max(...cats.map((c) => c.length));
  const slant = !numeric && longest * 7 > pw / Math.max(1, cats.length);
  const bottom = slant ? 44 + Math.ceil(longest * 7 * Math.sin((25 * Math.PI) / 180)) : 56;
  const H = M.top + ph + bottom;
  const xs = all.map((p) => p.x as number);
  const [x0, x1] = numeric ? pad(Math.min(...xs), Math.max(...xs), 0.08) : [-0.5, cats.length - 0.5];
  const ys = all.flatMap((p) => [p.mean, p.lo, p.hi]).filter(Number.isFinite);
  const [yMin, yMax] = ys.length ? pad(Math.min(...ys), Math.max(...ys), 0.08) : [0, 1];
  const yTicks = niceTicks(yMin, yMax, 6);
  const y0 = Math.min(yMin, yTicks[0]);
  const y1 = Math.max(yMax, yTicks[yTicks.length - 1]);
  const sxBase = (p: PlotPoint): number => M.left + (((numeric ? (p.x as number) : cats.indexOf(String(p.x))) - x0) / (x1 - x0)) * pw;
  const sy = (v: number): number => M.top + ph - ((v - y0) / (y1 - y0 || 1)) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(spec.title)}</text>`,
    `<g class="axes" stroke="#333"><line x1="${M.left}" y1="${M.top + ph}" x2="${M.left + pw}" y2="${M.top + ph}"/><line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + ph}"/></g>`,
  ];
  for (const t of yTicks) {
    const y = r1(sy(t));
    out.push(`<line class="grid" x1="${M.left}" y1="${y}" x2="${M.left + pw}" y2="${y}" stroke="#ddd"/><text x="${M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(tickText(t))}</text>`);
  }
  const xTicks: Array<{ at: number; text: string }> = numeric
    ? niceTicks(x0, x1).map((t) => ({ at: M.left + ((t - x0) / (x1 - x0)) * pw, text: tickText(t) }))
    : cats.map((c, i) => ({ at: M.left + ((i - x0) / (x1 - x0)) * pw, text: c }));
  for (const t of xTicks) {
    if (t.at < M.left - 0.5 || t.at > M.left + pw + 0.5) continue;
    const label = slant
      ? `<text x="${r1(t.at)}" y="${M.top + ph + 14}" text-anchor="end" transform="rotate(-25 ${r1(t.at)} ${M.top + ph + 14})">${esc(t.text)}</text>`
      : `<text x="${r1(t.at)}" y="${M.top + ph + 18}" text-anchor="middle">${esc(t.text)}</text>`;
    out.push(`<line x1="${r1(t.at)}" y1="${M.top + ph}" x2="${r1(t.at)}" y2="${M.top + ph + 5}" stroke="#333"/>${label}`);
  }
  out.push(`<text class="x-label" x="${M.left + pw / 2}" y="${H - 12}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  out.push(`<text class="y-label" transform="translate(16 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`);
  spec.series.forEach((s, i) => {
    const c = COLOURS[i % COLOURS.length];
    // Series side by side on a category, so their error bars do not hide each other.
    const room = numeric ? 4 : Math.min(8, pw / cats.length / (spec.series.length + 1));
    const dodge = (i - (spec.series.length - 1) / 2) * room;
    const sx = (p: PlotPoint): number => sxBase(p) + dodge;
    const pts = [...s.points].sort((a, b) => sx(a) - sx(b));
    out.push(`<g class="series" fill="${c}" stroke="${c}">`);
    // Lines only where the x values have an order (numbers, durations), not between names.
    if (pts.length > 1 && ordered) out.push(`<polyline fill="none" stroke-width="1.5" points="${pts.map((p) => `${r1(sx(p))},${r1(sy(p.mean))}`).join(' ')}"/>`);
    for (const p of pts) {
      const x = r1(sx(p));
      if (Number.isFinite(p.lo) && Number.isFinite(p.hi)) {
        out.push(`<path class="error-bar" fill="none" d="M${x},${r1(sy(p.lo))}V${r1(sy(p.hi))}M${r1(sx(p) - 4)},${r1(sy(p.lo))}h8M${r1(sx(p) - 4)},${r1(sy(p.hi))}h8"/>`);
      }
      if (Number.isFinite(p.mean)) out.push(`<circle class="mean" cx="${x}" cy="${r1(sy(p.mean))}" r="3.5"><title>${esc(`${s.label}: ${String(p.x)} → ${tickText(p.mean)} [${tickText(p.lo)}, ${tickText(p.hi)}]`)}</title></circle>`);
    }
    out.push('</g>');
    if (spec.series.length === 1) return;
    const ly = M.top + 10 + i * 18;
    out.push(`<g class="legend"><rect x="${W - M.right + 14}" y="${ly - 6}" width="12" height="12" fill="${c}"/><text x="${W - M.right + 32}" y="${ly}" dominant-baseline="middle">${esc(s.label)}</text></g>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function pad(lo: number, hi: number, f: number): [number, number] {
  if (lo === hi) return [lo - (Math.abs(lo) || 1) * 0.5, hi + (Math.abs(hi) || 1) * 0.5];
  const d = (hi - lo) * f;
  return [lo - d, hi + d];
}

function tickText(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return String(Number(v.toPrecision(4)));
}

/**
 * The plots of an experiment: each metric against each swept dimension, one series per
 * combination of the other dimensions' values. Returns file name → SVG text.
 */
export function experimentPlots(dimensions: readonly string[], summaries: readonly SettingSummary[], metrics: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  // A dimension with one value (say, the one scenario) adds nothing to a plot or a legend.
  const varied = dimensions.filter((d) => new Set(summaries.map((s) => String(s.values[d]))).size > 1);
  const plotted = varied.length > 0 ? varied : dimensions;
  for (const dim of plotted) {
    const others = plotted.filter((d) => d !== dim);
    for (const m of metrics) {
      const groups = new Map<string, PlotPoint[]>();
      for (const s of summaries) {
        const label = others.length ? others.map((d) => `${shortName(d)}=${s.values[d]}`).join(', ') : 'all settings';
        const p = pointOf(s, m, s.values[dim]);
        if (!p) continue;
        groups.set(label, [...(groups.get(label) ?? []), p]);
      }
      if (groups.size === 0) continue;
      const yLabel = m === SUCCESS || m === 'outcome' ? 'success rate' : m;
      const svg = renderPlot({ title: `${yLabel} vs ${shortName(dim)}`, xLabel: dim, yLabel: `${yLabel} (mean, 95% CI)`, series: [...groups].map(([label, points]) => ({ label, points })) });
      files.set(`${slug(m)}-vs-${slug(dim)}.svg`, svg);
    }
  }
  return files;
}

function pointOf(s: SettingSummary, metric: string, x: SweepValue): PlotPoint | undefined {
  if ((metric === SUCCESS || metric === 'outcome') && s.success) return { x, mean: s.success.rate, lo: s.success.ci95[0], hi: s.success.ci95[1] };
  const st = s.metrics[metric];
  if (!st || st.n === 0) return undefined;
  return { x, mean: st.mean, lo: st.ci95[0], hi: st.ci95[1] };
}

/** The last segment of a config path (`nodes.navigator.replan` → `replan`), for titles and legends. */
const shortName = (path: string): string => path.split('.').at(-1) ?? path;
const slug = (s: string): string => s.replace(/[^A-Za-z0-9_-]+/g, '_');

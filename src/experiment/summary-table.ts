import type { SettingSummary } from './experiment-results.js';
import { SUCCESS } from './experiment-results.js';

/** A number for a table: 3 significant digits past the point for small values, fewer for large. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(0);
  if (a >= 100) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  if (a === 0) return '0';
  return x.toPrecision(3);
}

/**
 * The summary table people read: one block per setting, one row per metric with n, mean,
 * standard deviation and the 95 % confidence interval; `success` as a rate with its
 * Wilson interval.
 */
export function formatSummaryTable(dimensions: readonly string[], summaries: readonly SettingSummary[], metrics: readonly string[]): string {
  const header = ['metric', 'n', 'mean', 'sd', '95% CI'];
  const lines: string[] = [];
  for (const s of summaries) {
    const title = dimensions.map((d) => `${d}=${s.values[d]}`).join('  ');
    lines.push(`setting ${s.setting + 1}: ${title}  (${s.runs} runs${s.failed ? `, ${s.failed} failed` : ''})`);
    const rows: string[][] = [];
    for (const m of metrics) {
      if ((m === SUCCESS || m === 'outcome') && s.success) {
        const { rate, successes, n, ci95 } = s.success;
        rows.push(['success rate', String(n), `${fmt(rate)} (${successes}/${n})`, '', `[${fmt(ci95[0])}, ${fmt(ci95[1])}]`]);
        continue;
      }
      const st = s.metrics[m];
      if (!st) continue;
      rows.push([m, String(st.n), fmt(st.mean), fmt(st.sd), st.n >= 2 ? `[${fmt(st.ci95[0])}, ${fmt(st.ci95[1])}]` : '–']);
    }
    lines.push(...alignRows([header, ...rows]).map((l) => `  ${l}`));
    lines.push('');
  }
  return lines.join('\n');
}

/** Left-aligns the first column, right-aligns the rest. */
function alignRows(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
}

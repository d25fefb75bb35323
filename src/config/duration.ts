import { z } from 'zod';

const UNITS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, min: 60_000, m: 60_000, h: 3_600_000 };

/** Parses `250ms`, `1.5s`, `2min`, `1h` or a plain number of milliseconds. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|min|m|h)?\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * UNITS[m[2] ?? 'ms'];
}

/** A duration in the config: a number of ms, or text with a unit (`100ms`, `1s`, `2min`). Parses to ms. */
export const durationSchema = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration; write a number of milliseconds or a number with a unit, e.g. 100ms, 1s, 2min` });
    return z.NEVER;
  }
  return ms;
});

/** Formats ms for people: 10ms, 1s, 2.5min. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms * 1000) / 1000}ms`;
  if (ms < 120_000) return `${Math.round(ms / 10) / 100}s`;
  return `${Math.round(ms / 600) / 100}min`;
}

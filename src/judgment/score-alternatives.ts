import { type Objective, type Scales, type Weights, objectives } from './weights.js';

/** One alternative to judge: raw objective values (missing = 0). */
export interface Alternative<T = unknown> {
  readonly id: string;
  /** Time (s), energy (battery fraction), risk (0..1 or any consistent unit), reward (any unit). */
  readonly objectives: Readonly<Partial<Record<Objective, number>>>;
  /** False rules the alternative out whatever its score (e.g. battery would run out). */
  readonly feasible?: boolean;
  /** Why it is infeasible, for the explanation. */
  readonly note?: string;
  /** Whatever the caller wants back with the choice (a plan, a path, a target). */
  readonly value?: T;
}

export interface ScoredAlternative<T = unknown> {
  readonly id: string;
  /** Higher is better; -Infinity when infeasible. */
  readonly score: number;
  /** Signed contribution of each objective to the score (costs negative, reward positive). */
  readonly parts: Readonly<Record<Objective, number>>;
  readonly feasible: boolean;
  readonly alternative: Alternative<T>;
}

export interface Judgment<T = unknown> {
  /** Best first. */
  readonly ranked: readonly ScoredAlternative<T>[];
  /** The chosen alternative; undefined when none is feasible. */
  readonly choice: ScoredAlternative<T> | undefined;
  /** One or two sentences a person can read: what was chosen and what decided it. */
  readonly why: string;
  /** Score per alternative id, rounded to 3 decimals, for `status.plan.scores` (infeasible: -1e9, as JSON has no -Infinity). */
  readonly scores: Record<string, number>;
}

export interface ScoreOptions {
  /**
   * `range` (default): each objective is mapped to 0..1 across the feasible alternatives
   * (min-max), so weights compare like with like. `scale`: divided by `scales`, so the
   * score keeps absolute meaning across calls. `none`: raw values.
   */
  normalise?: 'range' | 'scale' | 'none';
  scales?: Scales;
}

const sign: Record<Objective, number> = { time: -1, energy: -1, risk: -1, reward: 1 };

/**
 * Weighted-sum multi-objective scoring: score = Σ w·sign·normalised(value), with costs
 * (time, energy, risk) counting against and reward for. Infeasible alternatives are ranked
 * last and never chosen. Ties keep the input order, so the caller's order is the tie-break.
 */
export function scoreAlternatives<T>(alternatives: readonly Alternative<T>[], weights: Weights, options: ScoreOptions = {}): Judgment<T> {
  const mode = options.normalise ?? 'range';
  const feasible = alternatives.filter((a) => a.feasible !== false);
  const lo = {} as Record<Objective, number>;
  const span = {} as Record<Objective, number>;
  for (const o of objectives) {
    const vals = feasible.map((a) => a.objectives[o] ?? 0);
    const min = vals.length ? Math.min(...vals) : 0;
    const max = vals.length ? Math.max(...vals) : 0;
    lo[o] = mode === 'range' ? min : 0;
    span[o] = mode === 'range' ? max - min : mode === 'scale' ? (options.scales?.[o] ?? 1) : 1;
  }
  const scored = alternatives.map((a, index) => {
    const ok = a.feasible !== false;
    const parts = {} as Record<Objective, number>;
    let score = 0;
    for (const o of objectives) {
      const raw = a.objectives[o] ?? 0;
      const n = span[o] > 0 ? (raw - lo[o]) / span[o] : 0;
      parts[o] = sign[o] * weights[o] * n;
      score += parts[o];
    }
    return { index, s: { id: a.id, score: ok ? score : -Infinity, parts, feasible: ok, alternative: a } as ScoredAlternative<T> };
  });
  scored.sort((x, y) => y.s.score - x.s.score || x.index - y.index);
  const ranked = scored.map((x) => x.s);
  const choice = ranked[0]?.feasible ? ranked[0] : undefined;
  const scores: Record<string, number> = {};
  for (const r of ranked) scores[r.id] = Number.isFinite(r.score) ? Math.round(r.score * 1000) / 1000 : -1e9;
  return { ranked, choice, why: explain(ranked, choice), scores };
}

function explain<T>(ranked: readonly ScoredAlternative<T>[], choice: ScoredAlternative<T> | undefined): string {
  if (ranked.length === 0) return 'no alternatives to choose from';
  if (!choice) {
    const notes = ranked.map((r) => `${r.id}${r.alternative.note ? ` (${r.alternative.note})` : ''}`).join(', ');
    return `no feasible alternative: ${notes}`;
  }
  const fmt = (x: number): string => x.toFixed(2);
  const runnerUp = ranked.find((r) => r !== choice && r.feasible);
  if (!runnerUp) {
    const out = ranked.filter((r) => !r.feasible).map((r) => `${r.id}${r.alternative.note ? ` (${r.alternative.note})` : ''}`);
    return `chose ${choice.id}: the only feasible alternative${out.length ? `; ruled out ${out.join(', ')}` : ''}`;
  }
  // Name the objectives that separate the choice from the runner-up, biggest first.
  const diffs = objectives
    .map((o) => ({ o, d: choice.parts[o] - runnerUp.parts[o] }))
    .filter((x) => Math.abs(x.d) > 1e-9)
    .sort((a, b) => Math.abs(b.d) - Math.abs(a.d));
  const pro = diffs.filter((x) => x.d > 0).map((x) => `${better[x.o]} (+${fmt(x.d)})`);
  const con = diffs.filter((x) => x.d < 0).map((x) => `${worse[x.o]} (${fmt(x.d)})`);
  let why = `chose ${choice.id} (score ${fmt(choice.score)}) over ${runnerUp.id} (${fmt(runnerUp.score)})`;
  if (pro.length) why += `: ${pro.join(', ')}`;
  if (con.length) why += `, despite ${con.join(', ')}`;
  if (!pro.length && !con.length) why += ': tie, kept the earlier alternative';
  return why;
}

const better: Record<Objective, string> = { time: 'faster', energy: 'uses less energy', risk: 'safer', reward: 'more reward' };
const worse: Record<Objective, string> = { time: 'slower', energy: 'uses more energy', risk: 'riskier', reward: 'less reward' };

/** Where the robot is and how much it has left, as the prediction carries it step to step. */
export interface PredictState {
  readonly x: number;
  readonly y: number;
  /** Battery fraction (0..1). */
  readonly battery: number;
  /** Elapsed time (s) since the start of the plan. */
  readonly t: number;
}

/** One step of a candidate plan, at the world model's abstraction. */
export type PredictStep =
  /** Drive to a point in a straight line (or along `via` points first). */
  | { readonly kind: 'move'; readonly to: { readonly x: number; readonly y: number }; readonly via?: ReadonlyArray<{ readonly x: number; readonly y: number }>; readonly label?: string }
  /** Work in place (sampling, unloading...). */
  | { readonly kind: 'work'; readonly durationS: number; readonly energy: number; readonly label?: string }
  /** Charge in place up to `to` (default full). */
  | { readonly kind: 'charge'; readonly to?: number; readonly label?: string };

/** How time and energy follow from motion. */
export interface MotionModel {
  /** Cruise speed (m/s) on easy ground. */
  readonly speed: number;
  /** Battery fraction per metre on easy ground. */
  readonly energyPerMetre: number;
  /** Battery fraction per second whatever the robot does (computers, heaters). Default 0. */
  readonly idlePower?: number;
  /** Battery fraction gained per second when charging. */
  readonly rechargeRate: number;
  /** Battery fraction the plan should keep in hand (default 0). */
  readonly reserve?: number;
  /**
   * Terrain factor (>= 1) at a point: time and energy per metre scale with it. Sampled
   * every `terrainStep` metres along each leg. Default: 1 everywhere.
   */
  readonly terrainAt?: (x: number, y: number) => number;
  /** Sampling distance for `terrainAt` (m, default 1). */
  readonly terrainStep?: number;
}

export interface PredictedStep {
  readonly label: string;
  readonly timeS: number;
  /** Battery fraction used (negative when charging). */
  readonly energy: number;
  readonly distance: number;
  /** State after the step. */
  readonly after: PredictState;
}

/** The predicted outcome of a plan: what value judgment scores. */
export interface Prediction {
  /** False when the battery would run out before the plan ends. */
  readonly feasible: boolean;
  /** False when the battery would dip below the reserve at some point. */
  readonly withinReserve: boolean;
  readonly end: PredictState;
  readonly timeS: number;
  /** Battery fraction drawn in total (charging not subtracted). */
  readonly energyUsed: number;
  readonly distance: number;
  /** Lowest battery on the way. */
  readonly minBattery: number;
  readonly steps: readonly PredictedStep[];
  /** Index of the step where the battery runs out (when not feasible). */
  readonly failedStep?: number;
  readonly reason: string;
}

/**
 * Plays a candidate plan forward on the world model: how long it takes, how much energy it
 * draws, where it ends, and whether the battery lasts. Pure, so value judgment can compare
 * many candidates in one cycle.
 */
export function predictPlan(start: PredictState, steps: readonly PredictStep[], model: MotionModel): Prediction {
  const idle = model.idlePower ?? 0;
  const reserve = model.reserve ?? 0;
  let s = start;
  let used = 0;
  let dist = 0;
  let minBattery = start.battery;
  const out: PredictedStep[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    let timeS = 0;
    let energy = 0;
    let d = 0;
    let x = s.x;
    let y = s.y;
    if (step.kind === 'move') {
      for (const p of [...(step.via ?? []), step.to]) {
        const leg = legCost(x, y, p.x, p.y, model);
        timeS += leg.timeS;
        energy += leg.energy;
        d += leg.distance;
        x = p.x;
        y = p.y;
      }
      energy += idle * timeS;
    } else if (step.kind === 'work') {
      timeS = step.durationS;
      energy = step.energy + idle * timeS;
    } else {
      const target = step.to ?? 1;
      const net = model.rechargeRate - idle;
      if (net <= 0) throw new Error(`predictPlan: step ${i + 1} charges, but rechargeRate ${model.rechargeRate} does not exceed idlePower ${idle}`);
      timeS = Math.max(0, target - s.battery) / net;
      energy = -(Math.max(0, target - s.battery));
    }
    const battery = s.battery - energy;
    s = { x, y, battery, t: s.t + timeS };
    if (energy > 0) used += energy;
    dist += d;
    const label = step.label ?? (step.kind === 'move' ? `move to (${round(step.to.x)}, ${round(step.to.y)})` : step.kind);
    out.push({ label, timeS, energy, distance: d, after: s });
    minBattery = Math.min(minBattery, battery);
    if (battery < 0) {
      return {
        feasible: false,
        withinReserve: false,
        end: s,
        timeS: s.t - start.t,
        energyUsed: used,
        distance: dist,
        minBattery,
        steps: out,
        failedStep: i,
        reason: `battery runs out during step ${i + 1} (${label}): needs ${pct(energy)} with ${pct(battery + energy)} left`,
      };
    }
  }
  const withinReserve = minBattery >= reserve;
  return {
    feasible: true,
    withinReserve,
    end: s,
    timeS: s.t - start.t,
    energyUsed: used,
    distance: dist,
    minBattery,
    steps: out,
    reason: withinReserve
      ? `${out.length} steps, ${Math.round(s.t - start.t)} s, ${pct(used)} battery, ends with ${pct(s.battery)}`
      : `feasible but the battery dips to ${pct(minBattery)}, below the ${pct(reserve)} reserve`,
  };
}

function legCost(x0: number, y0: number, x1: number, y1: number, model: MotionModel): { timeS: number; energy: number; distance: number } {
  const d = Math.hypot(x1 - x0, y1 - y0);
  if (!model.terrainAt || d === 0) return { timeS: d / model.speed, energy: d * model.energyPerMetre, distance: d };
  const stepM = model.terrainStep ?? 1;
  const n = Math.max(1, Math.ceil(d / stepM));
  let factor = 0;
  // Midpoint rule along the leg.
  for (let k = 0; k < n; k++) {
    const f = (k + 0.5) / n;
    factor += Math.max(1, model.terrainAt(x0 + (x1 - x0) * f, y0 + (y1 - y0) * f));
  }
  const eff = (factor / n) * d;
  return { timeS: eff / model.speed, energy: eff * model.energyPerMetre, distance: d };
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const round = (x: number): number => Math.round(x * 10) / 10;

import { z } from 'zod';
import { weightsSchema } from '../../src/judgment/weights.js';
import { astar } from '../../src/planning/grid/astar.js';
import { type CostMap, worldToCell } from '../../src/planning/grid/cost-map.js';
import { type RoverModel, type RoverState, createRoverDomain } from '../../src/planning/htn/rover-domain.js';
import type { HtnDomain } from '../../src/planning/htn/htn-domain.js';
import type { Scenario } from '../../sim/scenario/build-scenario.js';
import { costMapOf, knownMapFromWorld, knownMapParamsSchema, nearestFreeCell } from '../navigator/known-map.js';

const pos = () => z.number().positive();
const place = z.object({ name: z.string(), x: z.number(), y: z.number() }).strict();

/** Mission parameters. With `scenario`, targets, base, start, battery and the energy model come from it. */
export const missionParamsSchema = knownMapParamsSchema
  .extend({
    child: z.string().optional(),
    /** Scenario file (relative to the config file's folder): targets, base, start, battery and rover energy. */
    scenario: z.string().optional(),
    /** Without a scenario (or to override it): targets, base, start and battery at start. */
    targets: z.array(place).optional(),
    base: z.object({ x: z.number(), y: z.number(), radius: pos().default(0.6) }).strict().optional(),
    start: z.object({ x: z.number(), y: z.number() }).strict().optional(),
    battery: z.number().min(0).max(1).optional(),
    /** Mean speed over a leg, turns and slowdowns included (m/s): sets time and idle energy. */
    speed: pos().default(0.35),
    /** Battery fraction per metre; default from the scenario's rover (drive + idle power at `speed`) times `margin`. */
    energy_per_m: pos().optional(),
    margin: z.number().min(1).default(1.25),
    /** Battery fraction gained per second on the charger; default from the scenario's rover. */
    recharge_rate: pos().optional(),
    /** Battery to keep in hand away from the base. */
    reserve: z.number().min(0).max(0.9).default(0.15),
    /** Time for one sample with stopping and settling (s). */
    sample_s: pos().default(15),
    charge_until: z.number().min(0.1).max(1).default(0.95),
    /** Re-plan when the battery is this far below the plan's prediction. */
    battery_tolerance: pos().default(0.08),
    /** Below this (and not charging) the mission has failed. */
    exhausted_below: z.number().min(0).default(0.02),
    weights: weightsSchema.prefault({}),
    plan_expansions: z.number().int().positive().default(20_000),
    branching: z.number().int().positive().default(3),
    target_tolerance: pos().default(0.3),
    base_tolerance: pos().default(0.35),
    /** Failed attempts at one target before it is skipped. */
    max_target_failures: z.number().int().min(1).default(2),
    /** Failed attempts to reach the base before the mission fails. */
    max_base_failures: z.number().int().min(1).default(3),
    /** Failed steps in all before the mission fails. */
    max_failures: z.number().int().min(1).default(12),
  })
  .strict();
export type MissionParams = z.output<typeof missionParamsSchema>;

/** What the mission knows of its world and rover, ready to plan with. */
export interface MissionModel {
  /** Named places: every target, `base`, and `here` (the rover, moved by {@link MissionModel.setHere}). */
  readonly places: Record<string, { x: number; y: number }>;
  readonly targetNames: readonly string[];
  readonly baseRadius: number;
  readonly start: { x: number; y: number };
  readonly initialBattery: number;
  readonly rover: RoverModel;
  readonly domain: HtnDomain<RoverState>;
  /** Travel distance (m) between places on the known map (terrain-weighted, Infinity when cut off). */
  distance(a: string, b: string): number;
  /** Moves `here` to the rover's position; returns the named place it stands at (within `near` m), or `here`. */
  setHere(x: number, y: number, near: number): string;
}

/**
 * Builds the mission's world model from a scenario (only what is known at start) and
 * the params: distances are A* path lengths on the known, inflated map, so the HTN plans
 * with the detours the navigator will really drive.
 */
export function createMissionModel(params: MissionParams, scenario: Scenario | undefined): MissionModel {
  const world = scenario?.world;
  const targets = params.targets ?? world?.targets.map((t) => ({ name: t.name, x: t.x, y: t.y })) ?? [];
  const base = params.base ?? world?.base;
  if (!base) throw new Error('mission: no base; give params.scenario or params.base {x, y}');
  const places: Record<string, { x: number; y: number }> = {};
  for (const t of targets) {
    if (t.name === 'base' || t.name === 'here') throw new Error(`mission: a target may not be called "${t.name}"; rename it`);
    places[t.name] = { x: t.x, y: t.y };
  }
  places.base = { x: base.x, y: base.y };
  const start = params.start ?? (world ? { x: world.start.x, y: world.start.y } : { x: base.x, y: base.y });
  places.here = { ...start };
  const rp = scenario?.rover;
  const capJ = (rp?.battery.capacity_wh ?? 20) * 3600;
  const idleW = rp?.battery.idle_w ?? 2;
  const driveW = (rp?.battery.drive_w_per_mps ?? 20) * params.speed;
  const energyPerMetre = params.energy_per_m ?? ((driveW + idleW) / params.speed / capJ) * params.margin;
  const rechargeRate = params.recharge_rate ?? Math.max(1e-6, ((rp?.battery.charge_w ?? 120) - idleW) / capJ);

  const cost: CostMap | undefined = world ? costMapOf(knownMapFromWorld(world, params)) : undefined;
  const cache = new Map<string, number>();
  const distance = (a: string, b: string): number => {
    if (a === b) return 0;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const p = places[a];
    const q = places[b];
    if (!p || !q) throw new Error(`mission: unknown place "${p ? b : a}"; known: ${Object.keys(places).join(', ')}`);
    let d = Math.hypot(p.x - q.x, p.y - q.y);
    if (cost) {
      const s = nearestFreeCell(cost, worldToCell(cost, p.x, p.y), 3);
      const g = nearestFreeCell(cost, worldToCell(cost, q.x, q.y), 3);
      const r = s >= 0 && g >= 0 ? astar(cost, s, g, { maxExpansions: cost.width * cost.height }) : undefined;
      d = r?.found ? Math.max(d, r.cost * cost.resolution) : Infinity;
    }
    cache.set(key, d);
    return d;
  };
  const rover: RoverModel = {
    distance,
    speed: params.speed,
    energyPerMetre,
    sampleS: params.sample_s,
    sampleEnergy: (idleW * params.sample_s) / capJ,
    dropS: 0,
    rechargeRate,
    reserve: params.reserve,
    branching: params.branching,
  };
  return {
    places,
    targetNames: targets.map((t) => t.name),
    baseRadius: 'radius' in base && typeof base.radius === 'number' ? base.radius : 0.6,
    start,
    initialBattery: params.battery ?? rp?.battery.initial ?? 1,
    rover,
    domain: createRoverDomain(rover),
    distance,
    setHere(x, y, near) {
      places.here = { x, y };
      for (const k of [...cache.keys()]) if (k.startsWith('here|') || k.endsWith('|here')) cache.delete(k);
      let best = 'here';
      let bestD = near;
      for (const [name, p] of Object.entries(places)) {
        if (name === 'here') continue;
        const d = Math.hypot(p.x - x, p.y - y);
        if (d <= bestD) {
          best = name;
          bestD = d;
        }
      }
      return best;
    },
  };
}

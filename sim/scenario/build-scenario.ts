import { parse as parseYaml } from 'yaml';
import type { Random } from '../../src/time/random.js';
import { createRoverParams, type RoverParams } from '../rover/rover-params.js';
import { formatZodError } from '../world/format-zod-error.js';
import { checkPlaces } from '../world/parse-map.js';
import { placeUnknownRocks } from '../world/place-unknown-rocks.js';
import { unreachablePlaces } from '../world/reachability.js';
import type { Target, World } from '../world/world.js';
import { scenarioSchema, type ScenarioEvent, type ScenarioSpec } from './scenario-schema.js';

/** Parses scenario YAML text; `source` (a file name) prefixes every error message. */
export function parseScenarioYaml(text: string, source = 'scenario'): ScenarioSpec {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new Error(`${source}: not valid YAML: ${(err as Error).message}`);
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw new Error(formatZodError(source, parsed.error));
  return parsed.data;
}

/** A scenario ready to simulate: `new Simulation(s.world, s.rover, random, { events: s.events })`. */
export interface Scenario {
  spec: ScenarioSpec;
  /** The true world, with the scenario's start and targets and the random unknown rocks. */
  world: World;
  rover: RoverParams;
  events: ScenarioEvent[];
  /** Cells (cy * width + cx) that got a random unknown rock. */
  rockCells: number[];
}

/**
 * Applies a scenario to its map: start, target selection, rover parameters and battery,
 * and `unknown_rocks` random rocks from `random` (fork "unknown-rocks"), so the same seed
 * gives the same world.
 */
export function buildScenario(spec: ScenarioSpec, map: World, random: Random, source = spec.name): Scenario {
  let targets: Target[] = [...map.targets];
  if (spec.targets) {
    targets = spec.targets.map((t, k) => {
      if (typeof t !== 'string') return { ...t };
      const found = map.targets.find((m) => m.name === t);
      if (!found) {
        const known = map.targets.map((m) => m.name).join(', ') || '(none)';
        throw new Error(`${source}: targets.${k}: map "${map.name}" has no target "${t}"; its targets are ${known}`);
      }
      return { ...found };
    });
    const names = new Set<string>();
    for (const [k, t] of targets.entries()) {
      if (names.has(t.name)) throw new Error(`${source}: targets.${k}: "${t.name}" is listed twice`);
      names.add(t.name);
    }
  }
  const base = map.with({ targets, start: spec.start ?? map.start });
  checkPlaces(base, source);
  const cut = unreachablePlaces(base);
  if (cut.length > 0) {
    throw new Error(`${source}: ${cut.join(', ')} cannot be reached from the start on map "${map.name}"; open a way or move them`);
  }
  const rover = createRoverParams({
    ...(spec.rover ?? {}),
    battery: { ...(spec.rover?.battery ?? {}), ...(spec.battery !== undefined ? { initial: spec.battery } : {}) },
  });
  const placed = placeUnknownRocks(base, spec.unknown_rocks, random.fork('unknown-rocks'));
  return { spec, world: placed.world, rover, events: [...spec.events], rockCells: placed.cells };
}

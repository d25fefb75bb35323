import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Random } from '../../src/time/random.js';
import { buildScenario, parseScenarioYaml, type Scenario } from '../scenario/build-scenario.js';
import { parseMapYaml } from '../world/parse-map.js';
import type { World } from '../world/world.js';

function read(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: cannot read the ${what} file: ${(err as Error).message}`);
  }
}

/** Reads and parses a map file (configs/maps/*.yaml). */
export function loadMapFile(path: string): World {
  return parseMapYaml(read(path, 'map'), path);
}

/**
 * Reads a scenario file and its map (the scenario's `map` is relative to the scenario
 * file) and builds the world for `random`'s seed.
 */
export function loadScenarioFile(path: string, random: Random): Scenario {
  const spec = parseScenarioYaml(read(path, 'scenario'), path);
  const mapPath = resolve(dirname(path), spec.map);
  const map = loadMapFile(mapPath);
  return buildScenario(spec, map, random, path);
}

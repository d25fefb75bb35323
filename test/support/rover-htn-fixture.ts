import { createRoverDomain, euclideanDistance, type RoverModel, type RoverState } from '../../src/planning/index.js';
import { createRandom } from '../../src/time/random.js';

/**
 * A rover sampling mission for the HTN planner: `targetCount` targets scattered (seeded)
 * over 1.2 km around the base, two chargers besides it. Shared by the planner's tests
 * and the `planning` benchmark, so both plan the same kind of mission.
 */
export function roverHtnMission(targetCount: number, seed = 'rover') {
  const random = createRandom(seed);
  const points: Record<string, { x: number; y: number }> = { base: { x: 0, y: 0 }, c1: { x: 400, y: 400 }, c2: { x: -400, y: 300 } };
  const targets: string[] = [];
  for (let i = 0; i < targetCount; i++) {
    points[`t${i}`] = { x: random.range(-600, 600), y: random.range(-600, 600) };
    targets.push(`t${i}`);
  }
  const model: RoverModel = {
    distance: euclideanDistance(points),
    speed: 1,
    energyPerMetre: 1 / 2500,
    sampleS: 60,
    sampleEnergy: 0.02,
    dropS: 30,
    rechargeRate: 0.002,
    reserve: 0.1,
  };
  const state: RoverState = { position: 'base', battery: 1, base: 'base', chargers: ['c1', 'c2'], targets, carrying: [], delivered: [], skipped: [], capacity: 5 };
  return { model, state, domain: createRoverDomain(model), points };
}

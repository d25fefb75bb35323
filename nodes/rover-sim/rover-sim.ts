import { resolve } from 'node:path';
import { z } from 'zod';
import { REBIRTH_VERB, WRITE_VERB, writeArgsSchema, type Point } from '../../src/contracts/device.js';
import type { Json } from '../../src/contracts/ids.js';
import { defineNodeKind } from '../../src/node/node-kind.js';
import { createRandom } from '../../src/time/random.js';
import { loadScenarioFile, roverPoints, Simulation, type Actuators, type Scenario } from '../../sim/index.js';

export const roverSimParamsSchema = z
  .object({
    /** Scenario file (relative to the tree's config): map, targets, battery, unknown rocks, events. */
    scenario: z.string().min(1, 'name a scenario file, e.g. scenarios/open-field.yaml'),
  })
  .strict();

/** The rover-sim node's world model: the simulation itself, and what it was last told. */
export interface RoverSimWorld {
  scenario: Scenario;
  sim: Simulation;
  points: Point[];
  lastStep: number | undefined;
  actuators: Actuators;
}

const scenarios = new Map<string, Scenario>();
/** Scenario for a file and seed (cached: points() and world() both need it). */
function scenarioFor(file: string, seed: string): Scenario {
  const key = `${file}\u0000${seed}`;
  let s = scenarios.get(key);
  if (!s) {
    s = loadScenarioFile(file, createRandom(seed).fork('world'));
    scenarios.set(key, s);
  }
  return s;
}

/**
 * The simulated rover as a level-0 device node: it speaks exactly the device contract a
 * hardware gateway speaks (points in the birth, `write` commands, sensor values in
 * `sense`), so the same tree drives the simulator or a real rover. The physics steps on
 * the tree's clock, once per cycle.
 */
export const roverSimKind = defineNodeKind({
  kind: 'rover-sim',
  description: 'Level-0 device: the simulated differential-drive rover (same points and verbs as a gateway).',
  params: roverSimParamsSchema,
  verbs: {
    [WRITE_VERB]: writeArgsSchema,
    [REBIRTH_VERB]: z.object({}).strict(),
  },
  world: (ctx): RoverSimWorld => {
    const scenario = scenarioFor(resolve(ctx.baseDir, ctx.params.scenario), ctx.random.seed);
    return {
      scenario,
      sim: new Simulation(scenario.world, scenario.rover, ctx.random.fork('sim'), { events: scenario.events }),
      points: roverPoints(scenario.rover),
      lastStep: undefined,
      actuators: { v: 0, w: 0, sample: false },
    };
  },
  points: (_params, world) => world.points,
  create: () => ({
    accept: (task, world) => {
      if (task.verb !== WRITE_VERB) return undefined;
      return checkWrite(world.points, task.args.values);
    },
    behave: (world, _scores, input) => {
      const task = input.task;
      if (task?.verb === WRITE_VERB) {
        const values = task.args.values;
        if (typeof values.v === 'number') world.actuators.v = values.v;
        if (typeof values.w === 'number') world.actuators.w = values.w;
        if (typeof values.sample === 'boolean') world.actuators.sample = values.sample;
      } else if (!task) {
        // No command: the outputs take their safe values.
        world.actuators = { v: 0, w: 0, sample: false };
      }
      const first = world.lastStep === undefined;
      const dt = first ? 0 : input.now - world.lastStep!;
      world.lastStep = input.now;
      if (dt > 0) world.sim.step(dt, world.actuators);
      // Sampled once per physics step, as a device samples at its rate: a cycle woken by a
      // write at the same instant has nothing new to report (and a rebirth asks for a full set).
      const sample = first || dt > 0 || input.events.some((e) => e.type === 'rebirth');
      const sense = sample ? (world.sim.readSensors(input.now / 1000) as unknown as Record<string, Json>) : undefined;
      const truth = world.sim.truth();
      return {
        sense,
        // A write stays in force until the next one; rebirth is done at once (the runtime re-announces on reconnect).
        status: task?.verb === REBIRTH_VERB ? { state: 'done' } : task ? { state: 'executing' } : undefined,
        health: { collisions: truth.collisions, battery: round(truth.battery), lost: truth.lost },
      };
    },
  }),
});
export default roverSimKind;

/** Range and type checks of a write against the device points: rejected, never clamped. */
export function checkWrite(points: readonly Point[], values: Record<string, number | boolean | string>): string | undefined {
  for (const [name, value] of Object.entries(values)) {
    const p = points.find((x) => x.name === name);
    if (!p) return `no output point "${name}"; outputs are: ${points.filter((x) => x.direction === 'out').map((x) => x.name).join(', ')}`;
    if (p.direction !== 'out') return `"${name}" is an input point; it cannot be written`;
    if (p.type === 'bool' && typeof value !== 'boolean') return `"${name}" takes true or false, not ${JSON.stringify(value)}`;
    if (p.type === 'number') {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `"${name}" takes a number, not ${JSON.stringify(value)}`;
      if ((p.min !== undefined && value < p.min) || (p.max !== undefined && value > p.max)) {
        return `${name}=${value} is out of range [${p.min}, ${p.max}] ${p.units}; send a value within the range (it is never clamped)`;
      }
    }
  }
  return undefined;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

import { z } from 'zod';
import { poseSchema, targetSchema } from '../world/map-schema.js';
import { roverParamsSchema } from '../rover/rover-params.js';

const window = { start_s: z.number().min(0), end_s: z.number().positive() };
const ordered = (e: { start_s: number; end_s: number }) => e.end_s > e.start_s;
const orderMsg = { message: 'end_s must be after start_s', path: ['end_s'] };

/** The range finder drops out from start_s to end_s: rays read NaN (`nan`) or it stops publishing (`silent`). */
export const rangeDropoutSchema = z
  .object({
    kind: z.literal('range_dropout'),
    ...window,
    mode: z.enum(['nan', 'silent']).default('nan'),
    /** With mode nan: the share of rays dropped in each reading, drawn at random (1 = all). */
    fraction: z.number().min(0).max(1).default(1),
  })
  .strict()
  .refine(ordered, orderMsg);

/** The emergency stop is held from start_s to end_s. */
export const estopEventSchema = z.object({ kind: z.literal('estop'), ...window }).strict().refine(ordered, orderMsg);

/** A node of the control tree goes silent (is killed) at at_s. Not simulated here: the runner acts on it. */
export const nodeSilentSchema = z
  .object({ kind: z.literal('node_silent'), node: z.string().regex(/^[A-Za-z0-9_-]+$/), at_s: z.number().min(0) })
  .strict();

export const scenarioEventSchema = z.union([rangeDropoutSchema, estopEventSchema, nodeSilentSchema]);
export type ScenarioEvent = z.output<typeof scenarioEventSchema>;

/**
 * A scenario file (configs/scenarios/*.yaml): a map plus what differs for this run.
 * `map` is a path relative to the scenario file.
 */
export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    map: z.string().min(1),
    /** Overrides the map's start. */
    start: poseSchema.optional(),
    /** State of charge at start (0..1); overrides rover.battery.initial. */
    battery: z.number().min(0).max(1).optional(),
    /** Names of the map's targets to visit (default: all); extra targets may be added with positions. */
    targets: z.array(z.union([z.string(), targetSchema])).optional(),
    /** Rocks unknown to the rover scattered at random (from the run's seed). */
    unknown_rocks: z.number().int().min(0).max(500).default(0),
    /** Overrides of the rover's parameters (see roverParamsSchema). */
    rover: roverParamsSchema.partial().optional(),
    events: z.array(scenarioEventSchema).default([]),
    /** Virtual seconds after which the run is called a failure. */
    time_limit_s: z.number().positive().default(900),
    /** What the scenario's test expects, for the runner and the tests. */
    expect: z
      .object({
        outcome: z.enum(['success', 'safe_stop']).default('success'),
        max_collisions: z.number().int().min(0).default(0),
      })
      .strict()
      .default({ outcome: 'success', max_collisions: 0 }),
  })
  .strict();

export type ScenarioSpec = z.output<typeof scenarioSchema>;

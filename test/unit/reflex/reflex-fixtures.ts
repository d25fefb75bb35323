import type { ReflexInput, ReflexSensors } from '../../../nodes/reflex/index.js';
import { createReflexCore, type ReflexStepInput } from '../../../nodes/reflex/index.js';
import { createRandom } from '../../../src/time/random.js';
import type { Machine, FsmSnapshot } from '../../../src/fsm/index.js';
import type { Proposal } from '../../../src/subsumption/index.js';

export const CLEAR_SENSORS: ReflexSensors = {
  range: [5, 5, 5, 5, 5],
  bump_left: false,
  bump_right: false,
  cliff: false,
  slope_deg: 0,
  soft: false,
  estop: false,
  heading_rad: 0,
};

export const RAY_ANGLES = [-60, -30, 0, 30, 60].map((d) => (d * Math.PI) / 180);

/** A behavior input with everything clear and a fresh parent; override what a test is about. */
export function reflexInput(now: number, over: Partial<Omit<ReflexInput, 'sensors'>> & { sensors?: Partial<ReflexSensors> } = {}): ReflexInput {
  return {
    now,
    faults: [],
    rayAngles: RAY_ANGLES,
    parentCommand: { v: 0.3, w: 0 },
    parentLastHeardAt: now,
    parentPeriodMs: 100,
    resetEstop: false,
    ...over,
    sensors: { ...CLEAR_SENSORS, ...over.sensors },
  };
}

/** Steps a behavior machine through inputs, as a behavior does: transition, then output. */
export function driver<S extends string, C>(machine: Machine<S, ReflexInput, C, Proposal<number>>) {
  let snap: FsmSnapshot<S, C> | undefined;
  return {
    step(input: ReflexInput): Proposal<number> {
      snap = machine.transition(snap ?? machine.initial(input.now, input), input, input.now);
      return machine.output(snap, input, input.now);
    },
    get state(): S {
      return snap!.value;
    },
  };
}

/** Raw device sensations with everything clear. */
export const CLEAR_RAW = { range: [5, 5, 5, 5, 5], bump_left: false, bump_right: false, cliff: false, slope_deg: 0, soft: false, estop: false };

/** A reflex core with default params and a 100 ms parent; `at(now, over)` builds a fresh step input. */
export function defaultCore(params: unknown = {}) {
  const core = createReflexCore(params, { random: createRandom('test'), parentPeriodMs: 100 });
  const at = (now: number, over: Partial<ReflexStepInput> & { raw?: Record<string, unknown> } = {}): ReflexStepInput => ({
    now,
    sensors: { ...CLEAR_RAW, ...over.raw },
    sensedAt: now,
    parentCommand: { v: 0.3, w: 0.1 },
    parentLastHeardAt: now,
    ...over,
  });
  return { core, at };
}

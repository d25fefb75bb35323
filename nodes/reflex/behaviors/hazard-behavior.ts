import { z } from 'zod';
import { createMachine } from '../../../src/fsm/create-machine.js';
import { fsmBehavior, type BehaviorType, type Proposal } from '../../../src/subsumption/behavior.js';
import type { ReflexInput } from '../reflex-signals.js';
import { DRIVES, SILENT, STOP, commandedV } from './proposals.js';

/** Forward speed held at 0, turning left to the layers below. */
const NO_FORWARD: Proposal<number> = Object.freeze({ v: 0 });

export const hazardParamsSchema = z
  .object({
    /** Steepest slope (deg, either sign) still safe. */
    max_slope_deg: z.number().positive().default(20),
    /** How long every hazard must stay clear before moving again (ms): debounces flickering flags. */
    clear_ms: z.number().nonnegative().default(200),
    /** Treat bad or missing sensor data (the step's faults) as a hazard. Turning this off is unsafe. */
    stop_on_faults: z.boolean().default(true),
    /** Soft ground is crossed slowly, not stopped on (stopping there would strand the rover): speed cap (m/s). */
    soft_v: z.number().nonnegative().default(0.15),
  })
  .strict();
export type HazardParams = z.output<typeof hazardParamsSchema>;

/** Builds the hazard machine: ok → stopped on a hazard; back to ok after `clear_ms` with no hazard. */
export function createHazardMachine(p: HazardParams) {
  const hazard = (i: ReflexInput): boolean =>
    i.sensors.cliff === true ||
    (i.sensors.slope_deg !== undefined && Math.abs(i.sensors.slope_deg) > p.max_slope_deg) ||
    (p.stop_on_faults && i.faults.length > 0);
  // A cliff ahead only forbids going forward: the rover may still turn on the spot (or
  // back away) to face elsewhere. A steep slope or bad data stops both wheels.
  const onlyCliff = (i: ReflexInput): boolean =>
    i.sensors.cliff === true &&
    !(i.sensors.slope_deg !== undefined && Math.abs(i.sensors.slope_deg) > p.max_slope_deg) &&
    !(p.stop_on_faults && i.faults.length > 0);
  const halt = (i: ReflexInput): Proposal<number> => (onlyCliff(i) ? NO_FORWARD : STOP);
  // On soft ground: the parent's speed, capped; turning is left to the layers below.
  const slow = (i: ReflexInput): Proposal<number> => {
    const v = commandedV(i, 0);
    return { v: Math.max(-p.soft_v, Math.min(p.soft_v, v)) };
  };
  return createMachine<'ok' | 'stopped' | 'clearing', ReflexInput, null, Proposal<number>>({
    id: 'hazard',
    initial: 'ok',
    context: null,
    states: {
      ok: { output: (i: ReflexInput) => (i.sensors.soft === true ? slow(i) : SILENT), on: [{ to: 'stopped', when: hazard }] },
      stopped: { output: halt, on: [{ to: 'clearing', when: (i) => !hazard(i) }] },
      clearing: {
        output: STOP,
        on: [
          { to: 'stopped', when: hazard },
          { to: 'ok', after: p.clear_ms },
        ],
      },
    },
  });
}

/** Hazard stop: a steep slope or bad sensor data → stop; a cliff ahead → no forward motion (turning allowed); until clear for `clear_ms`. Soft ground → cross it slowly. */
export const hazardBehavior: BehaviorType<ReflexInput, HazardParams, number> = {
  type: 'hazard',
  description: 'stop on a slope steeper than max_slope_deg or bad sensor data, no forward motion at a cliff, slow on soft ground; resume once clear for clear_ms',
  params: hazardParamsSchema,
  drives: DRIVES,
  create: (params, ctx) => fsmBehavior(ctx.id, 'hazard', createHazardMachine(params)),
};

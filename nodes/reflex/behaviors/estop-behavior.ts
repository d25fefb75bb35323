import { z } from 'zod';
import { createMachine } from '../../../src/fsm/create-machine.js';
import { fsmBehavior, type BehaviorType, type Proposal } from '../../../src/subsumption/behavior.js';
import type { ReflexInput } from '../reflex-signals.js';
import { DRIVES, SILENT, STOP } from './proposals.js';

export const estopParamsSchema = z.object({}).strict();

/** The e-stop machine: a press latches `stopped`; only a reset with the button released re-arms it. */
export const estopMachine = createMachine<'armed' | 'stopped', ReflexInput, null, Proposal<number>>({
  id: 'estop',
  initial: 'armed',
  context: null,
  states: {
    armed: { output: SILENT, on: [{ to: 'stopped', when: (i) => i.sensors.estop === true }] },
    stopped: { output: STOP, on: [{ to: 'armed', when: (i) => i.resetEstop && i.sensors.estop === false }] },
  },
});

/**
 * E-stop: stops both outputs while latched. The reflex core also enforces a latched e-stop
 * after arbitration, so no wiring can override it.
 */
export const estopBehavior: BehaviorType<ReflexInput, z.output<typeof estopParamsSchema>, number> = {
  type: 'estop',
  description: 'stop at once when the e-stop is pressed; stay stopped (latched) until reset with the button released',
  params: estopParamsSchema,
  drives: DRIVES,
  create: (_params, ctx) => fsmBehavior(ctx.id, 'estop', estopMachine),
};

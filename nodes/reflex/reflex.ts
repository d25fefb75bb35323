import { z } from 'zod';
import { WRITE_VERB } from '../../src/contracts/device.js';
import type { Json } from '../../src/contracts/ids.js';
import { defineNodeKind, type BehaviorOutput, type ChildCommand } from '../../src/node/node-kind.js';
import { SubsumptionConfigError } from '../../src/subsumption/subsumption-config-error.js';
import { createRandom } from '../../src/time/random.js';
import { reflexVerbs } from '../rover/contracts.js';
import { createReflexCore, ownerNames, type ReflexStepResult } from './reflex-core.js';
import { reflexParamsSchema } from './reflex-params.js';

/**
 * The kind's params: the core's, checked at load by building the core once, so an
 * unknown behavior, a wiring cycle or an unwired output stops the config before it runs.
 */
export const reflexKindParamsSchema = reflexParamsSchema.superRefine((params, ctx) => {
  try {
    createReflexCore(params, { random: createRandom('validate'), parentPeriodMs: params.parent_period_ms ?? 1 });
  } catch (err) {
    if (!(err instanceof SubsumptionConfigError)) throw err;
    for (const issue of err.issues) ctx.addIssue({ code: 'custom', path: issue.path.split('.').filter(Boolean), message: issue.message });
  }
});

/** Faults as short strings for people: `range: stale (120 ms old)`. */
const faultText = (r: ReflexStepResult): string[] => r.faults.map((f) => `${f.source}: ${f.problem}${f.detail ? ` (${f.detail})` : ''}`);

/**
 * The reactive bottom layer (level 1): Brooks's subsumption over finite-state
 * behaviors (e-stop, hazard, bump, avoid, watchdog, wander, follow the parent), whose
 * world model is simply the device child's latest readings. Every cycle it writes the
 * device's outputs, and reports which behavior owns each output, and why.
 */
export const reflexKind = defineNodeKind({
  kind: 'reflex',
  description: 'Level 1: subsumption of finite-state behaviors over the device below; keeps the machine safe when the levels above are slow, wrong or gone.',
  params: reflexKindParamsSchema,
  verbs: reflexVerbs,
  create: (ctx) => {
    const core = createReflexCore(ctx.params, { random: ctx.random.fork('reflex'), parentPeriodMs: ctx.parentPeriodMs, where: `${ctx.id}.params` });
    const device = ctx.children[0];
    const senseEvery = ctx.parentPeriodMs > 0 ? ctx.parentPeriodMs : ctx.periodMs;
    let lastSense = Number.NEGATIVE_INFINITY;
    return {
      behave: (_world, _scores, input): BehaviorOutput => {
        const task = input.task;
        const child = device ? input.children[device] : undefined;
        const parentCommand = task?.verb === 'drive' ? { v: task.args.v, w: task.args.w } : task?.verb === 'stop' ? { v: 0, w: 0 } : undefined;
        const r = core.step({
          now: input.now,
          sensors: child?.sense,
          sensedAt: child?.senseAt,
          parentCommand,
          parentLastHeardAt: input.parent.lastHeardAt,
          resetEstop: task?.verb === 'reset_estop',
        });
        const owners = ownerNames(r.owners);
        const stopped = r.outputs.v === 0 && r.outputs.w === 0;
        // The sampler is raised only when the parent asks and nothing reflexive is moving the rover.
        const sample = task?.verb === 'drive' && task.args.sample && stopped && owners.v !== 'hazard' && !r.estop;
        const commands: Record<string, ChildCommand> = {};
        if (device && child?.online) {
          commands[device] = {
            id: `out@${child.session ?? 0}`,
            verb: WRITE_VERB,
            args: { values: { v: round(r.outputs.v), w: round(r.outputs.w), sample: Boolean(sample) } },
            refreshMs: Math.max(ctx.periodMs * 10, 100),
          };
        }
        const detail: Record<string, Json> = { owners, estop: r.estop, faults: faultText(r) };
        const out: { -readonly [K in keyof BehaviorOutput]: BehaviorOutput[K] } = {
          commands,
          health: { owners, estop: r.estop, faults: r.faults.length, clamped: r.clamped, behaviors: core.states() },
        };
        if (task?.verb === 'reset_estop') out.status = { state: r.estop ? 'failed' : 'done', reason: r.estop ? 'the e-stop is still pressed' : '' };
        else if (task) out.status = { state: 'executing', detail };
        if (input.now - lastSense >= senseEvery) {
          lastSense = input.now;
          out.sense = { ...(child?.sense ?? {}), owners, faults: faultText(r), out_v: round(r.outputs.v), out_w: round(r.outputs.w) };
        }
        return out;
      },
    };
  },
});
export default reflexKind;

const round = (x: number): number => Math.round(x * 1000) / 1000;

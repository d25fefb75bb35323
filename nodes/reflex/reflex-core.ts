import type { Random } from '../../src/time/random.js';
import { createSubsumption, type OutputOwner, type Subsumption } from '../../src/subsumption/create-subsumption.js';
import { SubsumptionConfigError, issuePath } from '../../src/subsumption/subsumption-config-error.js';
import { reflexBehaviorTypes } from './behaviors/index.js';
import { reflexParamsSchema, type ReflexParams } from './reflex-params.js';
import type { ParentCommand, ReflexFault, ReflexInput } from './reflex-signals.js';
import { checkSensors } from './sensor-check.js';

/** What one reflex step reads. */
export interface ReflexStepInput {
  /** Clock time of this step (ms). */
  readonly now: number;
  /** The device child's latest `sense.values` (undefined before the first). */
  readonly sensors: Readonly<Record<string, unknown>> | undefined;
  /** Time the device stamped on those sensations (`sense.t`). */
  readonly sensedAt: number | undefined;
  /** The parent's current motion command, already parsed with `parentCommandSchema`. */
  readonly parentCommand: ParentCommand | undefined;
  /** Clock time of the last command or heartbeat from the parent. */
  readonly parentLastHeardAt: number | undefined;
  /** Set on the step where the operator resets a latched e-stop. */
  readonly resetEstop?: boolean;
}

/** What one reflex step decides, and why. */
export interface ReflexStepResult {
  /** Clamped to the limits. */
  readonly outputs: { readonly v: number; readonly w: number };
  /** Which behavior set each output, and how (drive / inhibit / default). */
  readonly owners: { readonly v: OutputOwner; readonly w: OutputOwner };
  /** Bad or missing inputs this step (empty when all is well). */
  readonly faults: readonly ReflexFault[];
  /** True while a latched e-stop holds the rover. */
  readonly estop: boolean;
  /** True when an output was cut to its limit this step. */
  readonly clamped: boolean;
}

/** The pure heart of the `reflex` node kind: sensor checks, the subsumption stack, limits. */
export interface ReflexCore {
  readonly params: ReflexParams;
  readonly subsumption: Subsumption<ReflexInput, number>;
  step(input: ReflexStepInput): ReflexStepResult;
  /** FSM state of each behavior, by id (for status and health). */
  states(): Record<string, string>;
}

export interface ReflexCoreOptions {
  readonly random: Random;
  /** The parent's period (ms) when params do not set `parent_period_ms` (from NodeContext.parentPeriodMs). */
  readonly parentPeriodMs: number;
  /** Names the params in errors, e.g. `configs/demo.yaml: nodes.reflex.params`. */
  readonly where?: string;
}

/**
 * Owners as plain names for `sense`/`health` (e.g. `{ v: 'avoid', w: 'follow' }`): the
 * behavior that drove the output, the inhibitor that blocked it, or `default`.
 */
export function ownerNames(owners: { readonly v: OutputOwner; readonly w: OutputOwner }): { v: string; w: string } {
  return { v: owners.v.by, w: owners.w.by };
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * Builds a reflex core from (unparsed) params. Throws an error naming the path of every
 * problem: a bad limit, an unknown behavior type, bad behavior params, a wiring cycle, an
 * unwired output, or an e-stop that something is wired to override.
 */
export function createReflexCore(rawParams: unknown, options: ReflexCoreOptions): ReflexCore {
  const where = options.where ?? 'reflex params';
  const parsed = reflexParamsSchema.safeParse(rawParams);
  if (!parsed.success) {
    throw new SubsumptionConfigError(
      where,
      parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message })),
    );
  }
  const params = parsed.data;
  const sub = params.subsumption;
  const estopIds = sub.behaviors.filter((b) => b.type === 'estop').map((b) => b.id);
  const overridden = sub.wiring.flatMap((w, i) => {
    const target = w.suppress ?? w.inhibit;
    return target !== undefined && estopIds.includes(target) ? [{ path: `subsumption.wiring[${i}]`, message: `"${w.from}" is wired to override the e-stop "${target}"; nothing may suppress or inhibit an e-stop` }] : [];
  });
  if (overridden.length > 0) throw new SubsumptionConfigError(where, overridden);
  const parentPeriodMs = params.parent_period_ms ?? options.parentPeriodMs;
  if (!(parentPeriodMs > 0) && sub.behaviors.some((b) => b.type === 'watchdog')) {
    throw new SubsumptionConfigError(where, [
      { path: 'parent_period_ms', message: `the watchdog counts the parent's periods, but the parent period is ${parentPeriodMs}; set parent_period_ms or give the node a parent` },
    ]);
  }
  const subsumption = createSubsumption<ReflexInput, number>(sub, reflexBehaviorTypes, { random: options.random, where: `${where}: subsumption` });
  const estops = subsumption.behaviors.filter((b) => b.type === 'estop');
  const estopOwners = estops.map((b): OutputOwner => Object.freeze({ by: b.id, how: 'drive' }));
  const rayAngles = params.rays.angles_deg.map((d) => (d * Math.PI) / 180);
  const { max_v, max_reverse_v, max_w } = params.limits;

  function step(input: ReflexStepInput): ReflexStepResult {
    const checked = checkSensors(input.sensors, input.sensedAt, input.now, params);
    let faults = checked.faults;
    let command = input.parentCommand;
    if (command !== undefined && !(Number.isFinite(command.v) && Number.isFinite(command.w ?? command.heading_rad))) {
      faults = [...faults, { source: 'parent_command', problem: 'nan', detail: `command ${JSON.stringify(command)} is not finite; ignored` }];
      command = undefined;
    }
    const reflexInput: ReflexInput = {
      now: input.now,
      sensors: checked.sensors,
      faults,
      rayAngles,
      parentCommand: command,
      parentLastHeardAt: input.parentLastHeardAt,
      parentPeriodMs,
      resetEstop: input.resetEstop === true,
    };
    const result = subsumption.step(reflexInput, input.now);
    // Enforced after arbitration as well as wired at the top, so no wiring can override a latched e-stop.
    for (let i = 0; i < estops.length; i++) {
      if (estops[i].state() === 'stopped') {
        const owner = estopOwners[i];
        return { outputs: { v: 0, w: 0 }, owners: { v: owner, w: owner }, faults, estop: true, clamped: false };
      }
    }
    const rawV = result.outputs.v;
    const rawW = result.outputs.w;
    // A non-finite proposal is a bug in a behavior; stop rather than pass it to the motors.
    const v = Number.isFinite(rawV) ? clamp(rawV, -max_reverse_v, max_v) : 0;
    const w = Number.isFinite(rawW) ? clamp(rawW, -max_w, max_w) : 0;
    return {
      outputs: { v, w },
      owners: { v: result.owners.v, w: result.owners.w },
      faults,
      estop: false,
      clamped: v !== rawV || w !== rawW,
    };
  }

  return { params, subsumption, step, states: () => subsumption.states() };
}

import { z } from 'zod';
import { REBIRTH_VERB, WRITE_VERB, writeArgsSchema } from '../../src/contracts/device.js';
import type { Json } from '../../src/contracts/ids.js';
import { defineNodeKind, type BehaviorOutput, type TaskReport } from '../../src/node/node-kind.js';
import type { Clock } from '../../src/time/clock.js';
import type { DeviceAdapter, DeviceFault } from './adapter.js';
import { createAdapter } from './create-adapter.js';
import type { CommandDecision, Quality, SafeReason } from './gateway-core.js';
import { GatewayDriver } from './gateway-driver.js';
import { birthPoints, gatewayParamsSchema, writeProblems, type GatewayParams } from './points.js';
import { jsonEqual } from '../../src/wire/json-equal.js';

export const gatewayVerbs = {
  [WRITE_VERB]: writeArgsSchema,
  [REBIRTH_VERB]: z.object({}).strict(),
};

/** Key of the per-input quality map inside `sense.values`. */
export const QUALITY_KEY = '_quality';

/** An `error` message the gateway wants published (a device fault, first of its run). */
export interface GatewayErrorReport {
  readonly topic: string;
  readonly reason: string;
}

/** {@link BehaviorOutput} with the device faults for the `error` channel (published by the runtime). */
export interface GatewayBehaviorOutput extends BehaviorOutput {
  readonly errors?: readonly GatewayErrorReport[];
}

/** The gateway node's world model: what it last decided and published. */
export interface GatewayWorld {
  /** `id#serial` of the latest write handed to the core, so each is decided once. */
  decided: string | undefined;
  /** The core's decision on the latest write that was not a duplicate. */
  outcome: CommandDecision | undefined;
  /** Id of the write task whose values the outputs took. */
  holding: string | undefined;
  /** Input values as last published (null until first read). */
  values: Record<string, Json>;
  /** Per-input quality as last published. */
  quality: Record<string, Quality> | undefined;
}

const MAX_PENDING_ERRORS = 16;

/** Where the device is, for people and for the `topic` of a device-fault error. */
export function deviceUri(params: GatewayParams): string {
  const a = params.adapter;
  switch (a.type) {
    case 'serial-line':
      return `serial-line:${a.path}@${a.baud_rate}`;
    case 'modbus-tcp':
      return `modbus-tcp://${a.host}:${a.port}/${a.unit_id}`;
    case 'simulated':
      return `simulated:${a.model}`;
  }
}

const safeWhy = (reason: SafeReason, params: GatewayParams): string => {
  switch (reason) {
    case 'watchdog':
      return `no command within watchdog_ms (${params.watchdog_ms} ms)`;
    case 'broker-lost':
      return 'the broker connection was lost';
    case 'device-reconnect':
      return 'the device reconnected';
    case 'abort':
      return 'the write was aborted';
    case 'start':
      return 'start';
    case 'stop':
      return 'the gateway is stopping';
  }
};

const describeValues = (values: Readonly<Record<string, unknown>>): string =>
  Object.entries(values)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');

/** Status of the current write task, from the core's decision and whether outputs still hold it. */
function writeStatus(world: GatewayWorld, safe: SafeReason | undefined, values: Readonly<Record<string, unknown>>, params: GatewayParams): TaskReport {
  const d = world.outcome;
  if (!d) return { state: 'executing' };
  switch (d.outcome) {
    case 'rejected':
      return { state: 'failed', reason: d.reason };
    case 'stale':
      // Kept running: the same id with a fresh serial (a parent's keep-alive) resumes it.
      return { state: 'executing', reason: `${d.reason}; outputs stay at their safe values` };
    default:
      if (safe !== undefined) {
        return { state: 'executing', reason: `outputs at their safe values (${safeWhy(safe, params)}); send a fresh command (a new serial) to resume` };
      }
      return { state: 'executing', reason: `holding ${describeValues(values)}` };
  }
}

export interface GatewayKindOptions {
  /** Makes the device adapter (default: {@link createAdapter}, from `params.adapter`). Tests inject one they can unplug. */
  adapterFor?: (params: GatewayParams, clock: Pick<Clock, 'setTimer'>) => DeviceAdapter;
}

/**
 * A hardware I/O gateway as a level-0 device node. Its points (declared in params) are
 * announced in the birth; inputs are sampled at their rates and published on `sense`
 * (with `_quality` per input), `write` commands set outputs after range checks (a bad
 * value rejects the command, never clamped) and a per-output rate limit. Outputs go to
 * their safe values on watchdog expiry, broker loss, device reconnect, an abort and stop;
 * after a new birth only a fresh command moves them again. Device faults show in
 * `health.detail` and, once per run, in `errors`.
 */
export function createGatewayKind(options: GatewayKindOptions = {}) {
  const adapterFor = options.adapterFor ?? createAdapter;
  return defineNodeKind({
    kind: 'gateway',
    description: 'Level-0 device: hardware I/O over a serial line, Modbus TCP or a simulated device, with range checks, rate limits, watchdog and safe values.',
    params: gatewayParamsSchema,
    verbs: gatewayVerbs,
    world: (): GatewayWorld => ({ decided: undefined, outcome: undefined, holding: undefined, values: {}, quality: undefined }),
    points: (params) => birthPoints(params),
    create: (ctx) => {
      const params = ctx.params;
      const where = deviceUri(params);
      // Faults come from the device edge at any time; they wait here for the next cycle.
      const pendingErrors: GatewayErrorReport[] = [];
      const onFault = (f: DeviceFault, report: boolean): void => {
        if (!report) return;
        const reason = `device ${where}: ${f.fault}${f.point ? ` on point "${f.point}"` : ''}: ${f.message}`;
        ctx.log.warn(reason);
        if (pendingErrors.length < MAX_PENDING_ERRORS) pendingErrors.push({ topic: where, reason });
      };
      const driver = new GatewayDriver({ params, adapter: adapterFor(params, ctx.clock), clock: ctx.clock, onFault });
      return {
        accept: (task) => {
          if (task.verb !== WRITE_VERB) return undefined;
          const problems = writeProblems(params.points, task.args.values);
          return problems.length > 0 ? problems.map((p) => p.reason).join('; ') : undefined;
        },
        start: async () => {
          driver.birth();
          await driver.start();
        },
        stop: () => driver.stop(),
        link: (state) => {
          if (state === 'lost') driver.brokerLost();
          else driver.birth();
        },
        behave: (w, _scores, input): GatewayBehaviorOutput => {
          const now = input.now;
          const core = driver.core;
          // The write the outputs hold was aborted and nothing replaced it: safe at once.
          // (Preempted by a new write, the new values take over instead.)
          for (const e of input.events) {
            if (e.type === 'task-aborted' && e.id === w.holding && input.task === undefined) {
              driver.safeAll('abort');
              w.holding = undefined;
            }
          }
          const task = input.task;
          let status: TaskReport | undefined;
          let fullSense = false;
          if (task?.verb === WRITE_VERB) {
            const key = `${task.id}#${task.serial}`;
            if (w.decided !== key) {
              w.decided = key;
              const d = driver.command({ id: task.id, serial: task.serial, receivedAt: task.updatedAt, values: task.args.values });
              if (d.outcome !== 'duplicate') w.outcome = d;
              if (d.outcome === 'applied') w.holding = task.id;
            }
            status = writeStatus(w, core.safeReason(), task.args.values, params);
          }
          // Sparkplug's rebirth: the runtime re-announced the birth; a full data set follows.
          if (input.events.some((e) => e.type === 'rebirth')) fullSense = true;
          const fresh = core.takeSense(now);
          if (fresh) w.values = fresh.values;
          const quality = core.quality(now);
          let sense: Record<string, Json> | undefined;
          if (fresh || fullSense || !jsonEqual(quality, w.quality)) {
            w.quality = quality;
            sense = { ...w.values, [QUALITY_KEY]: quality };
          }
          const errors = pendingErrors.splice(0);
          const out: GatewayBehaviorOutput = { health: { ...core.health(now), device_uri: where } };
          return { ...out, ...(sense ? { sense } : {}), ...(status ? { status } : {}), ...(errors.length > 0 ? { errors } : {}) };
        },
      };
    },
  });
}

/** The `gateway` node kind (adapters from `params.adapter`). */
export const gatewayKind = createGatewayKind();
export default gatewayKind;

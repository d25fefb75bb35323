// Reflex layer: cost of one reflex step, our FSM against XState v5 on the same machine,
// and the jitter of the real-time periodic loop at 100 Hz and 1 kHz.
import { loadavg } from 'node:os';
import { assign, createActor, setup, transition as xstateTransition, initialTransition } from 'xstate';
import { createReflexCore, DEFAULT_REFLEX_SUBSUMPTION, type ReflexInput, type ReflexStepInput } from '../../nodes/reflex/index.js';
import { bumpParamsSchema, createBumpMachine } from '../../nodes/reflex/behaviors/bump-behavior.js';
import { createPeriodicLoop } from '../../src/time/periodic-loop.js';
import { RealClock } from '../../src/time/real-clock.js';
import { createRandom } from '../../src/time/random.js';
import type { SubsumptionConfigInput } from '../../src/subsumption/index.js';
import { percentile, round, type Benchmark, type BenchContext } from './benchmark.js';

/** Ten behaviors: the default stack plus a second hazard (tilt) and two more avoid cones. */
const TEN: SubsumptionConfigInput = {
  outputs: DEFAULT_REFLEX_SUBSUMPTION.outputs,
  behaviors: [
    { id: 'estop', type: 'estop', layer: 9 },
    { id: 'hazard', type: 'hazard', layer: 8 },
    { id: 'tilt', type: 'hazard', layer: 7, params: { max_slope_deg: 10, stop_on_faults: false } },
    { id: 'bump', type: 'bump', layer: 6 },
    { id: 'avoid_near', type: 'avoid', layer: 5, params: { cone_deg: 20, slow_m: 0.5, avoid_m: 0.3, stop_m: 0.15 } },
    { id: 'avoid', type: 'avoid', layer: 4 },
    { id: 'avoid_wide', type: 'avoid', layer: 3, params: { cone_deg: 90, slow_m: 1.5, avoid_m: 0.8, stop_m: 0.4 } },
    { id: 'watchdog', type: 'watchdog', layer: 2 },
    { id: 'wander', type: 'wander', layer: 1, params: { enabled: true } },
    { id: 'follow', type: 'follow', layer: 0 },
  ],
  wiring: [
    { from: 'estop', suppress: 'hazard' },
    { from: 'hazard', suppress: 'tilt' },
    { from: 'tilt', suppress: 'bump' },
    { from: 'bump', suppress: 'avoid_near' },
    { from: 'avoid_near', suppress: 'avoid' },
    { from: 'avoid', suppress: 'avoid_wide' },
    { from: 'avoid_wide', suppress: 'wander' },
    { from: 'wander', suppress: 'follow' },
    ...['avoid_near', 'avoid', 'avoid_wide', 'wander', 'follow'].map((to) => ({ from: 'watchdog', inhibit: to })),
  ],
};

/** A varied input stream at 10 ms steps: obstacles coming and going, bumps, slopes, commands on and off. */
function inputs(n: number): ReflexStepInput[] {
  const rnd = createRandom('reflex-bench');
  return Array.from({ length: n }, (_, k) => {
    const now = k * 10;
    const front = 0.1 + 3 * Math.abs(Math.sin(k / 50));
    return {
      now,
      sensors: {
        range: [4, 2 + rnd.next(), front, 3, 5],
        bump_left: k % 300 === 7,
        bump_right: k % 450 === 11,
        cliff: false,
        slope_deg: 15 * Math.sin(k / 200),
        estop: false,
      },
      sensedAt: now - 3,
      parentCommand: k % 500 < 400 ? { v: 0.4, w: 0.2 * Math.sin(k / 30) } : undefined,
      parentLastHeardAt: k % 1000 < 950 ? now - 20 : now - 400,
    };
  });
}

function timeSteps(ctx: BenchContext): number {
  const core = createReflexCore({ subsumption: TEN }, { random: createRandom(1), parentPeriodMs: 100 });
  const stream = inputs(4000);
  const period = stream.length * 10;
  let sink = 0;
  const run = (count: number): void => {
    for (let i = 0; i < count; i++) {
      const base = stream[i % stream.length];
      const shift = Math.floor(i / stream.length) * period;
      // Time keeps moving forward across repeats of the stream.
      const input = { ...base, now: base.now + shift, sensedAt: (base.sensedAt ?? 0) + shift, parentLastHeardAt: (base.parentLastHeardAt ?? 0) + shift };
      sink += core.step(input).outputs.v;
    }
  };
  run(50_000);
  const n = 300_000;
  const t0 = performance.now();
  run(n);
  const us = ((performance.now() - t0) * 1000) / n;
  ctx.log(`reflex step (10 behaviors): ${us.toFixed(2)} µs (checksum ${sink.toFixed(1)})`);
  return us;
}

/** The bump machine, written for XState v5 as closely as its model allows (timers as guards on `now`). */
const xBump = setup({
  types: {
    context: {} as { enteredAt: number; dir: number },
    events: {} as { type: 'tick'; now: number; left: boolean; right: boolean },
  },
}).createMachine({
  id: 'bump',
  initial: 'idle',
  context: { enteredAt: 0, dir: 1 },
  states: {
    idle: {
      on: {
        tick: {
          guard: ({ event }) => event.left || event.right,
          target: 'backoff',
          actions: assign(({ event }) => ({ enteredAt: event.now, dir: event.left && !event.right ? -1 : 1 })),
        },
      },
    },
    backoff: {
      on: { tick: { guard: ({ context, event }) => event.now - context.enteredAt >= 500, target: 'turn', actions: assign(({ context }) => ({ enteredAt: context.enteredAt + 500 })) } },
    },
    turn: {
      on: {
        tick: [
          { guard: ({ event }) => event.left || event.right, target: 'backoff', actions: assign(({ event }) => ({ enteredAt: event.now, dir: event.left && !event.right ? -1 : 1 })) },
          { guard: ({ context, event }) => event.now - context.enteredAt >= 600, target: 'idle' },
        ],
      },
    },
  },
});

function compareFsm(ctx: BenchContext): { ours: number; xstate: number; actor: number; agree: boolean } {
  const n = 2000;
  const template = inputs(1);
  const ours: ReflexInput[] = [];
  const xs: Array<{ type: 'tick'; now: number; left: boolean; right: boolean }> = [];
  for (let k = 0; k < n; k++) {
    const left = k % 170 === 3;
    const right = k % 230 === 9;
    const now = k * 10;
    ours.push({
      now,
      sensors: { range: [5], bump_left: left, bump_right: right, cliff: false, slope_deg: 0, soft: false, estop: false, heading_rad: 0 },
      faults: [],
      rayAngles: [0],
      parentCommand: template[0].parentCommand,
      parentLastHeardAt: now,
      parentPeriodMs: 100,
      resetEstop: false,
    });
    xs.push({ type: 'tick', now, left, right });
  }
  const m = createBumpMachine(bumpParamsSchema.parse({}));
  const oursRun = (rounds: number): string[] => {
    const trace: string[] = [];
    for (let r = 0; r < rounds; r++) {
      let s = m.initial(0, ours[0]);
      for (let k = 0; k < n; k++) {
        s = m.transition(s, ours[k], ours[k].now);
        m.output(s, ours[k], ours[k].now);
        if (r === 0) trace.push(s.value);
      }
    }
    return trace;
  };
  const xRun = (rounds: number): string[] => {
    const trace: string[] = [];
    for (let r = 0; r < rounds; r++) {
      let [s] = initialTransition(xBump);
      for (let k = 0; k < n; k++) {
        [s] = xstateTransition(xBump, s, xs[k]);
        if (r === 0) trace.push(String(s.value));
      }
    }
    return trace;
  };
  // XState's usual route: a live actor, mutated by send() (not a pure snapshot-in/out step).
  const actorRun = (rounds: number): string[] => {
    const trace: string[] = [];
    for (let r = 0; r < rounds; r++) {
      const actor = createActor(xBump).start();
      for (let k = 0; k < n; k++) {
        actor.send(xs[k]);
        if (r === 0) trace.push(String(actor.getSnapshot().value));
      }
      actor.stop();
    }
    return trace;
  };
  // Same decisions from all three, or the comparison means nothing.
  const reference = JSON.stringify(oursRun(1));
  const agree = reference === JSON.stringify(xRun(1)) && reference === JSON.stringify(actorRun(1));
  actorRun(20);
  oursRun(50);
  xRun(5);
  let t0 = performance.now();
  oursRun(500);
  const oursPerS = (500 * n) / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  xRun(20);
  const xPerS = (20 * n) / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  actorRun(200);
  const actorPerS = (200 * n) / ((performance.now() - t0) / 1000);
  ctx.log(`fsm: ${Math.round(oursPerS)} steps/s, xstate transition(): ${Math.round(xPerS)}, xstate actor.send(): ${Math.round(actorPerS)}, same trace: ${agree}`);
  return { ours: oursPerS, xstate: xPerS, actor: actorPerS, agree };
}

async function jitter(ctx: BenchContext, hz: number, seconds: number): Promise<{ p99: number; max: number; missed: number; ticks: number }> {
  const clock = new RealClock();
  const core = createReflexCore({ subsumption: TEN }, { random: createRandom(1), parentPeriodMs: 100 });
  const stream = inputs(1000);
  const periodMs = 1000 / hz;
  const expected = hz * seconds;
  const late = new Float64Array(expected + 10);
  let count = 0;
  let missed = 0;
  await new Promise<void>((resolve) => {
    const startAt = clock.now();
    const loop = createPeriodicLoop(clock, periodMs, (info) => {
      // A realistic load: one reflex step per tick.
      const base = stream[info.cycle % stream.length];
      core.step({ ...base, now: info.now, sensedAt: info.now - 3, parentLastHeardAt: info.now - 20 });
      if (count < late.length) late[count++] = info.late;
      missed += info.missed;
      if (info.scheduledAt - startAt >= seconds * 1000 - periodMs / 2) {
        loop.stop();
        resolve();
      }
    });
  });
  const sample = Array.from(late.subarray(0, count));
  const result = { p99: percentile(sample, 99), max: Math.max(...sample), missed, ticks: count };
  ctx.log(`${hz} Hz for ${seconds} s: ${count} ticks, p99 ${result.p99.toFixed(3)} ms, max ${result.max.toFixed(3)} ms, missed ${missed}`);
  return result;
}

export const bench: Benchmark = {
  name: 'reflex',
  description: 'reflex step cost (10 behaviors), FSM vs XState v5, real-time loop jitter at 100 Hz and 1 kHz',
  async run(ctx) {
    // Jitter depends on what else the machine runs: record the load next to the figures.
    const loadBefore = loadavg()[0];
    const stepUs = timeSteps(ctx);
    const fsm = compareFsm(ctx);
    const j100 = await jitter(ctx, 100, 5);
    const j1k = await jitter(ctx, 1000, 10);
    return {
      step_us: round(stepUs, 2),
      fsm_steps_per_s: Math.round(fsm.ours),
      xstate_steps_per_s: Math.round(fsm.xstate),
      xstate_actor_steps_per_s: Math.round(fsm.actor),
      fsm_vs_xstate: round(fsm.ours / fsm.xstate, 1),
      fsm_same_trace: fsm.agree,
      jitter_100hz_p99_ms: round(j100.p99, 3),
      jitter_100hz_max_ms: round(j100.max, 3),
      missed_100hz: j100.missed,
      jitter_1khz_p99_ms: round(j1k.p99, 3),
      jitter_1khz_max_ms: round(j1k.max, 3),
      missed_1khz: j1k.missed,
      load_avg_1m_before: round(loadBefore, 2),
      load_avg_1m_after: round(loadavg()[0], 2),
    };
  },
};

import { describe, expect, it } from 'vitest';
import { createReflexCore, ownerNames } from '../../../nodes/reflex/index.js';
import { createRandom } from '../../../src/time/random.js';
import { defaultCore } from './reflex-fixtures.js';

describe('reflex core', () => {
  it('follows the parent when all is clear', () => {
    const { core, at } = defaultCore();
    const r = core.step(at(0));
    expect(r.outputs).toEqual({ v: 0.3, w: 0.1 });
    expect(r.owners).toEqual({ v: { by: 'follow', how: 'drive' }, w: { by: 'follow', how: 'drive' } });
    expect(r.faults).toEqual([]);
  });

  it('reacts in the same step a triggering reading arrives', () => {
    const { core, at } = defaultCore();
    core.step(at(0));
    const r = core.step(at(10, { raw: { bump_right: true } }));
    expect(r.outputs).toEqual({ v: -0.1, w: 0 });
    expect(r.owners.v.by).toBe('bump');
    expect(core.states().bump).toBe('backoff');
  });

  it('clamps outputs to the limits and says so', () => {
    const { core, at } = defaultCore({ limits: { max_v: 0.5, max_reverse_v: 0.1, max_w: 1 } });
    expect(core.step(at(0, { parentCommand: { v: 3, w: -7 } }))).toMatchObject({ outputs: { v: 0.5, w: -1 }, clamped: true });
    expect(core.step(at(10, { parentCommand: { v: -3, w: 0.5 } })).outputs).toEqual({ v: -0.1, w: 0.5 });
  });

  it('treats bad sensor data as a hazard and reports each fault', () => {
    const { core, at } = defaultCore();
    core.step(at(0));
    const r = core.step(at(10, { raw: { range: [5, NaN, 5, 5, 5], cliff: 'no', estop: undefined, slope_deg: 200 } }));
    expect(r.outputs).toEqual({ v: 0, w: 0 });
    expect(r.owners.v).toEqual({ by: 'hazard', how: 'drive' });
    expect(r.faults).toEqual([
      { source: 'range', problem: 'nan', detail: 'ray 1 reads NaN' },
      { source: 'cliff', problem: 'type', detail: 'expected true/false, got "no"' },
      { source: 'slope_deg', problem: 'range', detail: '200 is outside [-90, 90]' },
      { source: 'estop', problem: 'missing', detail: 'no "estop" in the device\'s sensations' },
    ]);
  });

  it('treats stale sensations, a wrong ray count and no sensations at all as faults', () => {
    const { core, at } = defaultCore();
    expect(core.step(at(1000, { sensedAt: 850 })).faults[0]).toEqual({ source: 'range', problem: 'stale', detail: 'reading is 150 ms old (max_age_ms 100)' });
    expect(core.step(at(1010, { raw: { range: [1, 2] } })).faults).toEqual([{ source: 'range', problem: 'shape', detail: '2 rays, but rays.angles_deg lists 5' }]);
    const none = core.step(at(1020, { sensors: undefined }));
    expect(none.faults.map((f) => f.source)).toEqual(['range', 'bump_left', 'bump_right', 'cliff', 'estop']);
    expect(none.outputs).toEqual({ v: 0, w: 0 });
  });

  it('ignores a non-finite parent command and reports it', () => {
    const { core, at } = defaultCore();
    const r = core.step(at(0, { parentCommand: { v: NaN, w: 0 } }));
    expect(r.faults).toEqual([{ source: 'parent_command', problem: 'nan', detail: 'command {"v":null,"w":0} is not finite; ignored' }]);
    expect(r.outputs).toEqual({ v: 0, w: 0 });
  });

  it('stops when the parent falls silent for N of its periods and resumes when it is back', () => {
    const { core, at } = defaultCore();
    core.step(at(0));
    expect(core.step(at(300, { parentLastHeardAt: 0 })).outputs).toEqual({ v: 0.3, w: 0.1 });
    const lost = core.step(at(310, { parentLastHeardAt: 0 }));
    expect(lost.outputs).toEqual({ v: 0, w: 0 });
    expect(lost.owners.v).toEqual({ by: 'watchdog', how: 'inhibit' });
    expect(ownerNames(lost.owners)).toEqual({ v: 'watchdog', w: 'watchdog' });
    expect(core.step(at(320)).outputs).toEqual({ v: 0.3, w: 0.1 });
  });

  it('lets a reflex act while the parent is lost (a bump still backs off)', () => {
    const { core, at } = defaultCore();
    core.step(at(0, { parentLastHeardAt: undefined }));
    expect(core.step(at(10, { parentLastHeardAt: undefined, raw: { bump_left: true } })).outputs).toEqual({ v: -0.1, w: 0 });
  });

  it('latches the e-stop over everything until reset with the button released', () => {
    const { core, at } = defaultCore();
    core.step(at(0));
    const r = core.step(at(10, { raw: { estop: true, cliff: true, bump_left: true } }));
    expect(r).toMatchObject({ outputs: { v: 0, w: 0 }, owners: { v: { by: 'estop', how: 'drive' } }, estop: true });
    expect(core.step(at(20)).estop).toBe(true);
    // A reset while the button is still pressed does nothing.
    expect(core.step(at(30, { resetEstop: true, raw: { estop: true } })).estop).toBe(true);
    // Once reset, the other reflexes the press masked are still running their own timers.
    expect(core.step(at(2000, { resetEstop: true }))).toMatchObject({ outputs: { v: 0.3, w: 0.1 }, estop: false });
  });

  it('uses params.parent_period_ms over the runtime value', () => {
    const core = createReflexCore({ parent_period_ms: 1000 }, { random: createRandom(1), parentPeriodMs: 100 });
    const raw = { range: [5, 5, 5, 5, 5], bump_left: false, bump_right: false, cliff: false, estop: false };
    const r = core.step({ now: 2000, sensors: raw, sensedAt: 2000, parentCommand: { v: 0.2, w: 0 }, parentLastHeardAt: 0 });
    expect(r.outputs.v).toBe(0.2);
  });
});

describe('reflex params validation', () => {
  const err = (params: unknown): string => {
    try {
      createReflexCore(params, { random: createRandom(1), parentPeriodMs: 100, where: 'demo.yaml: nodes.reflex.params' });
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };

  it('names bad limits', () => {
    expect(err({ limits: { max_v: -1 } })).toMatchInlineSnapshot(`
      "demo.yaml: nodes.reflex.params: 1 problem:
        - limits.max_v: Too small: expected number to be >0"
    `);
  });

  it('names bad behavior params by their path', () => {
    expect(
      err({
        subsumption: {
          outputs: { v: { default: 0 }, w: { default: 0 } },
          behaviors: [{ id: 'avoid', type: 'avoid', layer: 1, params: { stop_m: 2 } }, { id: 'follow', type: 'follow', layer: 0, params: { gain: 1 } }],
          wiring: [{ from: 'avoid', suppress: 'follow' }],
        },
      }),
    ).toMatchInlineSnapshot(`
      "demo.yaml: nodes.reflex.params: subsumption: 2 problems:
        - behaviors[0].params: distances must satisfy stop_m < avoid_m < slow_m
        - behaviors[1].params: Unrecognized key: "gain""
    `);
  });

  it('needs a parent period for the watchdog', () => {
    expect(() => createReflexCore({}, { random: createRandom(1), parentPeriodMs: 0, where: 'r' })).toThrowErrorMatchingInlineSnapshot(`
      [SubsumptionConfigError: r: 1 problem:
        - parent_period_ms: the watchdog counts the parent's periods, but the parent period is 0; set parent_period_ms or give the node a parent]
    `);
  });

  it('refuses wiring that overrides the e-stop', () => {
    expect(
      err({
        subsumption: {
          outputs: { v: { default: 0 }, w: { default: 0 } },
          behaviors: [{ id: 'stop', type: 'estop', layer: 1 }, { id: 'follow', type: 'follow', layer: 0 }],
          wiring: [{ from: 'follow', suppress: 'stop' }],
        },
      }),
    ).toMatchInlineSnapshot(`
      "demo.yaml: nodes.reflex.params: 1 problem:
        - subsumption.wiring[0]: "follow" is wired to override the e-stop "stop"; nothing may suppress or inhibit an e-stop"
    `);
  });
});

describe('reflex params paths', () => {
  it('writes array indices in brackets in schema errors', () => {
    expect(() =>
      createReflexCore({ subsumption: { outputs: {}, behaviors: [{ id: 'a b', type: 'follow', layer: 0 }] } }, { random: createRandom(1), parentPeriodMs: 100, where: 'p' }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [SubsumptionConfigError: p: 1 problem:
        - subsumption.behaviors[0].id: use only letters, digits, "_" and "-" (ids are MQTT topic levels, so "+", "#" and "/" are not allowed)]
    `);
  });
});

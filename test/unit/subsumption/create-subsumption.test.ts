import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSubsumption, type BehaviorRegistry, type SubsumptionConfigInput } from '../../../src/subsumption/index.js';
import { createRandom } from '../../../src/time/random.js';

/** Input: per behavior id, what it asserts this step (absent = silent). */
type In = Record<string, Record<string, number> | undefined>;

const scripted = (drives: string[]) => ({
  type: 'scripted',
  description: 'asserts what the input says for its id',
  params: z.object({ gain: z.number().default(1) }).strict(),
  drives,
  create: (p: { gain: number }, ctx: { id: string }) => ({
    id: ctx.id,
    type: 'scripted',
    step: (input: In) => {
      const out = input[ctx.id] ?? {};
      return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v * p.gain]));
    },
    state: () => 'running',
  }),
});
const registry: BehaviorRegistry<In, number> = { scripted: scripted(['v', 'w']), vonly: { ...scripted(['v']), type: 'vonly' } };
const outputs = { v: { default: 0 }, w: { default: 0 } };
const make = (config: SubsumptionConfigInput) => createSubsumption<In, number>(config, registry, { random: createRandom(1), where: 'test.yaml' });

const stack: SubsumptionConfigInput = {
  outputs,
  behaviors: [
    { id: 'top', type: 'scripted', layer: 3 },
    { id: 'mid', type: 'scripted', layer: 2 },
    { id: 'guard', type: 'scripted', layer: 1 },
    { id: 'base', type: 'scripted', layer: 0 },
  ],
  wiring: [
    { from: 'top', suppress: 'mid' },
    { from: 'mid', suppress: 'base' },
    { from: 'guard', inhibit: 'base' },
  ],
};

describe('subsumption arbitration', () => {
  it('passes the lowest behavior through when nothing above asserts', () => {
    const r = make(stack).step({ base: { v: 1, w: 2 } }, 0);
    expect(r.outputs).toEqual({ v: 1, w: 2 });
    expect(r.owners.v).toEqual({ by: 'base', how: 'drive' });
  });

  it('lets a suppressor replace the wire, transitively, per output', () => {
    const s = make(stack);
    expect(s.step({ base: { v: 1, w: 2 }, mid: { v: 5 } }, 0)).toEqual({
      outputs: { v: 5, w: 2 },
      owners: { v: { by: 'mid', how: 'drive' }, w: { by: 'base', how: 'drive' } },
    });
    expect(s.step({ base: { v: 1, w: 2 }, mid: { v: 5 }, top: { v: 9, w: 9 } }, 0).owners).toEqual({
      v: { by: 'top', how: 'drive' },
      w: { by: 'top', how: 'drive' },
    });
  });

  it('an inhibitor blocks the wire: the output falls to its default and the inhibitor owns it', () => {
    const r = make(stack).step({ base: { v: 1, w: 2 }, guard: { v: 7, w: 7 } }, 0);
    expect(r.outputs).toEqual({ v: 0, w: 0 });
    expect(r.owners.v).toEqual({ by: 'guard', how: 'inhibit' });
  });

  it('a suppressor still reaches the actuator through an inhibited wire', () => {
    const r = make(stack).step({ base: { v: 1, w: 2 }, guard: { v: 7, w: 7 }, mid: { v: 5, w: 6 } }, 0);
    expect(r.outputs).toEqual({ v: 5, w: 6 });
    expect(r.owners.w).toEqual({ by: 'mid', how: 'drive' });
  });

  it('reports the default when nothing asserts', () => {
    const r = make(stack).step({}, 0);
    expect(r.outputs).toEqual({ v: 0, w: 0 });
    expect(r.owners.v).toEqual({ by: 'default', how: 'default' });
  });

  it('breaks a tie between two suppressors of one wire by layer', () => {
    const s = make({
      outputs,
      behaviors: [
        { id: 'a', type: 'scripted', layer: 1 },
        { id: 'b', type: 'scripted', layer: 5 },
        { id: 'base', type: 'scripted', layer: 0 },
      ],
      wiring: [
        { from: 'a', suppress: 'base' },
        { from: 'b', suppress: 'base' },
      ],
    });
    expect(s.step({ a: { v: 1, w: 1 }, b: { v: 2, w: 2 } }, 0).outputs).toEqual({ v: 2, w: 2 });
    expect(s.step({ a: { v: 1, w: 1 } }, 0).outputs).toEqual({ v: 1, w: 1 });
  });

  it('passes parsed params to the behaviors and reports their states', () => {
    const s = make({ outputs, behaviors: [{ id: 'x', type: 'scripted', layer: 0, params: { gain: 3 } }] });
    expect(s.step({ x: { v: 1, w: 2 } }, 0).outputs).toEqual({ v: 3, w: 6 });
    expect(s.states()).toEqual({ x: 'running' });
  });
});

describe('subsumption config validation', () => {
  const err = (config: unknown): string => {
    try {
      createSubsumption(config, registry, { random: createRandom(1), where: 'test.yaml' });
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };

  it('names unknown behaviors and types', () => {
    expect(
      err({ outputs, behaviors: [{ id: 'a', type: 'scripted', layer: 1 }, { id: 'b', type: 'nope', layer: 0 }], wiring: [{ from: 'a', suppress: 'c' }] }),
    ).toMatchInlineSnapshot(`
      "test.yaml: 2 problems:
        - behaviors[1].type: unknown behavior type "nope"; known types: "scripted", "vonly"
        - wiring[0].suppress: unknown behavior "c"; behaviors are "a", "b""
    `);
  });

  it('finds a cycle in the suppression graph and lists its edges', () => {
    expect(
      err({
        outputs,
        behaviors: [{ id: 'a', type: 'scripted', layer: 2 }, { id: 'b', type: 'scripted', layer: 1 }, { id: 'c', type: 'scripted', layer: 0 }],
        wiring: [{ from: 'a', suppress: 'b' }, { from: 'b', inhibit: 'a' }, { from: 'a', suppress: 'c' }],
        // every output reports its own cycle
      }),
    ).toMatchInlineSnapshot(`
      "test.yaml: 2 problems:
        - wiring: cycle on output "v": "a" → "b" → "a" (edges wiring[0], wiring[1]); a behavior cannot end up overriding itself
        - wiring: cycle on output "w": "a" → "b" → "a" (edges wiring[0], wiring[1]); a behavior cannot end up overriding itself"
    `);
  });

  it('rejects an output no behavior drives and a behavior left unwired', () => {
    expect(
      err({
        outputs: { ...outputs, lamp: { default: false } },
        behaviors: [{ id: 'a', type: 'scripted', layer: 1 }, { id: 'b', type: 'vonly', layer: 0 }],
      }),
    ).toMatchInlineSnapshot(`
      "test.yaml: 2 problems:
        - outputs.v: behaviors "a", "b" all drive this output and none of them is wired to another, so it is unclear which reaches the actuator; wire all but one (e.g. { from: "a", suppress: "b" })
        - outputs.lamp: no behavior drives this output; add a behavior whose type drives "lamp" or remove the output"
    `);
  });

  it('rejects bad params, edges on outputs a behavior does not drive, and malformed edges, with paths', () => {
    expect(
      err({
        outputs,
        behaviors: [{ id: 'a', type: 'scripted', layer: 1, params: { gain: 'x' } }, { id: 'b', type: 'vonly', layer: 0 }],
        wiring: [{ from: 'a', suppress: 'b', outputs: ['w'] }],
      }),
    ).toMatchInlineSnapshot(`
      "test.yaml: 2 problems:
        - behaviors[0].params.gain: Invalid input: expected number, received string
        - wiring[0].outputs[0]: "b" does not drive output "w", so there is nothing to suppress"
    `);
    expect(err({ outputs, behaviors: [{ id: 'a', type: 'scripted', layer: 0 }], wiring: [{ from: 'a' }] })).toMatchInlineSnapshot(`
      "test.yaml: 1 problem:
        - wiring[0]: give exactly one of "suppress" or "inhibit" (the behavior whose output "from" overrides)"
    `);
  });
});

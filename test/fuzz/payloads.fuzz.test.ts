import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { commandSchema } from '../../src/contracts/command.js';
import { pointSchema, writeArgsSchema } from '../../src/contracts/device.js';
import { errorSchema } from '../../src/contracts/error.js';
import { healthSchema } from '../../src/contracts/health.js';
import { peerSchema } from '../../src/contracts/peer.js';
import { senseSchema } from '../../src/contracts/sense.js';
import { stateSchema } from '../../src/contracts/state.js';
import { statusSchema } from '../../src/contracts/status.js';
import { decodePayload } from '../../src/wire/codec.js';

/**
 * Hostile input on the wire: every payload schema, through the same decodePayload the
 * runtime uses, must never throw and must give every rejection a reason a person can
 * act on. Case counts are summed into docs/RELIABILITY.md.
 */
const valid: Record<string, { schema: z.ZodType; sample: Record<string, unknown>; idFields: string[] }> = {
  command: { schema: commandSchema, sample: { v: 1, id: 'm1', serial: 3, verb: 'run', args: { seconds: 2 }, from: 'cell', session: 7, t: 10 }, idFields: ['from'] },
  status: { schema: statusSchema, sample: { v: 1, node: 'arm', id: 'm1', serial: 3, state: 'executing', progress: 0.5, reason: '', t: 12, plan: { steps: [{ id: '0', label: 'x', state: 'active' }] } }, idFields: ['node'] },
  sense: { schema: senseSchema, sample: { v: 1, node: 'arm', t: 1, seq: 4, values: { x: 1, y: [1, 2], ok: true } }, idFields: ['node'] },
  health: { schema: healthSchema, sample: { v: 1, node: 'arm', t: 1, session: 2, period_ms: 100, cycles: 9, overruns: 0, exec_ms: { last: 1, mean: 1, max: 2 }, rejected: 0, command: null }, idFields: ['node'] },
  state: { schema: stateSchema, sample: { v: 1, node: 'arm', state: 'online', session: 2, kind: 'worker', level: 0, parent: 'cell', children: [], period_ms: 100 }, idFields: ['node', 'parent'] },
  error: { schema: errorSchema, sample: { v: 1, node: 'arm', t: 1, topic: 'strata/t/arm/cmd', reason: 'bad', issues: [{ path: 'id', message: 'x' }] }, idFields: ['node'] },
  peer: { schema: peerSchema, sample: { v: 1, from: 'arm', t: 1, kind: 'hello', body: { a: 1 } }, idFields: ['from'] },
  point: { schema: pointSchema, sample: { name: 'speed', direction: 'out', type: 'number', min: 0, max: 1 }, idFields: ['name'] },
  writeArgs: { schema: writeArgsSchema, sample: { values: { speed: 0.5 } }, idFields: [] },
};

const enc = (v: unknown): Uint8Array => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v) ?? 'undefined', 'utf8');

function expectSound(d: ReturnType<typeof decodePayload>): void {
  if (!d.ok) {
    expect(typeof d.reason).toBe('string');
    expect(d.reason.trim().length).toBeGreaterThan(0);
    for (const i of d.issues) expect(i.message.length).toBeGreaterThan(0);
  }
}

/** A valid sample with one random edit: a key dropped, a value replaced, or an unknown key added. */
const mutation = (sample: Record<string, unknown>) =>
  fc.oneof(
    fc.constantFrom(...Object.keys(sample)).map((k) => {
      const o = { ...sample };
      delete o[k];
      return o;
    }),
    fc.tuple(fc.constantFrom(...Object.keys(sample)), fc.jsonValue()).map(([k, v]) => ({ ...sample, [k]: v })),
    fc.tuple(fc.string({ maxLength: 8 }), fc.jsonValue()).map(([k, v]) => ({ ...sample, [k]: v })),
    fc.jsonValue(),
  );

const RUNS = { bytes: 1500, json: 1500, mutated: 2500, ids: 300 };
export const payloadFuzzCases = Object.keys(valid).length * (RUNS.bytes + RUNS.json + RUNS.mutated) + Object.values(valid).filter((v) => v.idFields.length > 0).length * RUNS.ids;

describe.each(Object.entries(valid))('fuzzing the %s payload', (_name, { schema, sample, idFields }) => {
  it('accepts the valid sample (the generators start from something real)', () => {
    expect(decodePayload(schema, enc(sample)).ok).toBe(true);
  });

  it('never throws on random bytes, and gives each rejection a reason', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => expectSound(decodePayload(schema, b))), { numRuns: RUNS.bytes });
  });

  it('never throws on random JSON text', () => {
    fc.assert(fc.property(fc.json({ maxDepth: 4 }), (t) => expectSound(decodePayload(schema, enc(t)))), { numRuns: RUNS.json });
  });

  it('never throws on one-edit mutations of a valid payload; what it accepts decodes the same again', () => {
    fc.assert(
      fc.property(mutation(sample), (m) => {
        const d = decodePayload(schema, enc(m));
        expectSound(d);
        if (d.ok) {
          const again = decodePayload(schema, enc(d.value));
          expect(again.ok && again.value).toEqual(d.value);
        }
      }),
      { numRuns: RUNS.mutated },
    );
  });

  it('refuses a payload over the size limit before parsing it, saying the limit', () => {
    const d = decodePayload(schema, enc({ ...sample, pad: 'x'.repeat(2000) }), 1024);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toMatch(/over the 1024-byte limit/);
  });
});

describe.each(Object.entries(valid).filter(([, v]) => v.idFields.length > 0))('ids in the %s payload', (_name, { schema, sample, idFields }) => {
  it('refuses ids that could inject topic levels (+, #, /), naming the field', () => {
    const bad = fc.tuple(fc.string({ maxLength: 6 }), fc.constantFrom('+', '#', '/'), fc.string({ maxLength: 6 })).map(([a, c, b]) => `${a}${c}${b}`);
    fc.assert(
      fc.property(fc.constantFrom(...idFields), bad, (field, id) => {
        const d = decodePayload(schema, enc({ ...sample, [field]: id }));
        expect(d.ok).toBe(false);
        if (!d.ok) expect(d.issues.some((i) => i.path === field)).toBe(true);
      }),
      { numRuns: RUNS.ids },
    );
  });

});

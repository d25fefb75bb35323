import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commandSchema } from '../../../src/contracts/command.js';
import { errorSchema } from '../../../src/contracts/error.js';
import { healthSchema } from '../../../src/contracts/health.js';
import { jsonSchema } from '../../../src/contracts/ids.js';
import { peerSchema } from '../../../src/contracts/peer.js';
import { senseSchema } from '../../../src/contracts/sense.js';
import { stateSchema } from '../../../src/contracts/state.js';
import { statusSchema } from '../../../src/contracts/status.js';
import { decodePayload } from '../../../src/wire/codec.js';
import { fastValidator } from '../../../src/wire/fast-validator.js';
import { builtinKinds } from '../../../nodes/index.js';

/** Valid messages of every wire schema, plain and with their optional parts filled in. */
const samples: Array<[string, z.ZodType, Array<Record<string, unknown>>]> = [
  ['command', commandSchema, [
    { v: 1, id: 'c1', serial: 1, verb: 'go' },
    { v: 1, id: 'goto-7', serial: 12, verb: 'goto', args: { x: 1.5, y: -2, path: [[0, 0], [1, 1]], opts: { fast: true, note: null } }, from: 'navigator', session: 1700000000000, t: 12.5 },
    { v: 1, id: 'abort-goto-7', serial: 13, verb: 'abort', args: {}, from: 'operator', session: 0, target: 'goto-7' },
  ]],
  ['status', statusSchema, [
    { v: 1, node: 'pilot', id: 'c1', serial: 1, state: 'executing', t: 0 },
    { v: 1, node: 'mission', id: 'm', serial: 3, state: 'done', progress: 1, reason: 'all 5 targets sampled', t: 1e6,
      plan: { steps: [{ id: 's1', label: 'go to A', state: 'done', child: 'navigator' }, { id: 's2', label: 'sample', state: 'active' }], scores: { risk: 0.2 }, made_at: 10, reason: 'cheapest' },
      detail: { owners: { left: 'avoid', right: 'wander' }, replans: 4, path: [1, 2, 3], ok: true, none: null } },
  ]],
  ['sense', senseSchema, [
    { v: 1, node: 'rover', t: 1, seq: 0, values: {} },
    { v: 1, node: 'rover', t: 100.25, seq: 99, values: { ranges: [0.5, 1, 2.25], pose: { x: 1, y: 2, th: -0.3 }, bump: false, label: 'ok', missing: null } },
  ]],
  ['state', stateSchema, [
    { v: 1, node: 'pilot', state: 'offline', session: 1, reason: 'connection lost (last will)' },
    { v: 1, node: 'gw', state: 'online', session: 5, t: 1, kind: 'gateway', level: 0, parent: null, children: [], period_ms: 100, horizon_ms: 1000, replan_ms: 100, verbs: ['write'],
      points: [{ name: 'temp', direction: 'in', type: 'number', units: 'C', min: -40, max: 125, rate_hz: 10 }, { name: 'valve', direction: 'out', type: 'bool', safe: false }] },
    { v: 1, node: 'pilot', state: 'online', session: 5, parent: 'navigator', children: ['reflex'] },
  ]],
  ['health', healthSchema, [
    { v: 1, node: 'pilot', t: 5, session: 1, period_ms: 100, cycles: 50, overruns: 0, exec_ms: { last: 0.1, mean: 0.1, max: 0.4 }, rejected: 0, command: null },
    { v: 1, node: 'pilot', t: 5, session: 1, period_ms: 100, cycles: 50, overruns: 2, exec_ms: { last: 0.1, mean: 0.1, max: 0.4 }, late_ms: { last: 0, max: 1 }, missed: 3, rejected: 1, duplicates: 2,
      command: { id: 'c', serial: 1, verb: 'go', state: 'executing' }, detail: { plan_age_ms: 40 } },
  ]],
  ['peer', peerSchema, [{ v: 1, from: 'left', t: 3, kind: 'claim', body: { cell: [1, 2] } }]],
  ['error', errorSchema, [{ v: 1, node: 'pilot', t: 3, topic: 'strata/t/pilot/cmd', reason: 'serial: expected number', issues: [{ path: 'serial', message: 'expected number' }], sample: '{"v":1}' }]],
];

/** Values that sit on the edges of the schemas' checks. */
const edgy = fc.constantFrom<unknown>('', 'a/b', 'x'.repeat(65), 'x'.repeat(129), 'ok_id-1', -1, 0, 1, 1.5, -0, 2 ** 53, 1e300, 2, null, true, [], {}, [1, 'a'], { a: { b: [null] } }, 'executing', 'bogus', 'online');

/** A valid sample with one or more keys removed, replaced or added, top level or one level down. */
function mutated(sample: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(sample);
  const value = fc.oneof(edgy, fc.jsonValue({ maxDepth: 3 }));
  const edit = fc.oneof(
    fc.record({ op: fc.constant('delete' as const), key: fc.constantFrom(...keys) }),
    fc.record({ op: fc.constant('set' as const), key: fc.oneof(fc.constantFrom(...keys), fc.constantFrom('extra', 'V', 'args2')), value }),
    fc.record({ op: fc.constant('nested' as const), key: fc.constantFrom(...keys), inner: fc.constantFrom('x', 'last', 'steps', 'owners', '0'), value }),
  );
  return fc.array(edit, { minLength: 0, maxLength: 3 }).map((edits) => {
    const out: Record<string, unknown> = structuredClone(sample);
    for (const e of edits) {
      if (e.op === 'delete') delete out[e.key];
      else if (e.op === 'set') out[e.key] = e.value;
      else if (out[e.key] !== null && typeof out[e.key] === 'object') (out[e.key] as Record<string, unknown>)[e.inner] = e.value;
    }
    return out;
  });
}

/** The compiled validator and zod agree: same verdict, and on acceptance the same value, key order included. */
function agree(schema: z.ZodType, input: unknown): void {
  const fast = fastValidator(schema)!(input);
  const ref = schema.safeParse(input);
  if (fast) {
    expect(ref.success).toBe(true);
    expect(fast.value).toStrictEqual(ref.data);
    expect(JSON.stringify(fast.value)).toBe(JSON.stringify(ref.data));
  } else {
    // Exact, not merely safe: what zod accepts the compiled form accepts too, so the fast path is the one used.
    expect(ref.success).toBe(false);
  }
}

describe('compiled validators', () => {
  it('compile every wire schema (none falls back to zod on the hot path)', () => {
    for (const [name, schema] of samples) expect(fastValidator(schema), name).not.toBeNull();
  });

  for (const [name, schema, valid] of samples) {
    it(`${name}: accept every valid sample with zod's output (defaults applied)`, () => {
      for (const s of valid) {
        const fast = fastValidator(schema)!(s);
        expect(fast, JSON.stringify(s)).toBeDefined();
        expect(fast!.value).toStrictEqual(schema.parse(s));
      }
    });

    it(`${name}: agree with zod on mutated messages (property)`, () => {
      fc.assert(
        fc.property(fc.oneof(...valid.map(mutated)), (input) => agree(schema, input)),
        { numRuns: 1500, seed: 7 },
      );
    });
  }

  it('agree with zod on arbitrary JSON values, for the recursive JSON-value schema too', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (input) => {
        if (JSON.stringify(input)?.includes('__proto__')) return;
        for (const [, schema] of samples) agree(schema, input);
        agree(jsonSchema, input);
      }),
      { numRuns: 800, seed: 11 },
    );
  });

  it('agree with zod on the verb arguments of every built-in kind (the task tracker checks args the same way)', () => {
    const verbs = [...builtinKinds.values()].flatMap((k) => Object.entries(k.verbs).map(([verb, schema]) => [`${k.kind}.${verb}`, schema as z.ZodType] as const));
    expect(verbs.length).toBeGreaterThan(10);
    const compiled = verbs.filter(([, schema]) => fastValidator(schema) !== null);
    // Most verbs compile; the rest (refinements and the like) go through zod.
    expect(compiled.length).toBeGreaterThan(verbs.length / 2);
    const args = fc.dictionary(fc.constantFrom('x', 'y', 'seconds', 'fail', 'values', 'target', 'steps', 'id', 'timeout_s', 'v', 'w'), fc.oneof(edgy, fc.jsonValue({ maxDepth: 2 })), { maxKeys: 4 });
    for (const [, schema] of compiled) {
      fc.assert(
        fc.property(args, (a) => {
          if (JSON.stringify(a).includes('__proto__')) return;
          agree(schema, a);
        }),
        { numRuns: 300, seed: 13 },
      );
    }
  });

  it('leave a "__proto__" key to zod, and decodePayload still gives zod\'s verdict', () => {
    const text = '{"v":1,"node":"rover","t":1,"seq":0,"values":{"__proto__":{"polluted":true}}}';
    expect(fastValidator(senseSchema)!(JSON.parse(text))).toBeUndefined();
    const d = decodePayload(senseSchema, Buffer.from(text));
    expect(d.ok).toBe(senseSchema.safeParse(JSON.parse(text)).success);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('do not compile what they cannot run exactly (refinements, transforms): zod runs those', () => {
    expect(fastValidator(z.object({ a: z.number() }).refine((o) => o.a > 0))).toBeNull();
    expect(fastValidator(z.string().trim())).toBeNull();
    expect(fastValidator(z.string().email())).toBeNull();
    expect(fastValidator(z.number().multipleOf(2))).toBeNull();
    expect(fastValidator(z.array(z.number()).min(1))).toBeNull();
    expect(fastValidator(z.string().transform((s) => s.length))).toBeNull();
    const refined = z.object({ a: z.number() }).refine((o) => o.a > 0, 'a must be positive');
    const d = decodePayload(refined, Buffer.from('{"a":-1}'));
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toContain('a must be positive');
  });

  it('reject with zod\'s own explanation (the compiled form only decides the fast cases)', () => {
    const d = decodePayload(statusSchema, Buffer.from(JSON.stringify({ v: 1, node: 'p', id: 'c', serial: 1, state: 'bogus', t: 0 })));
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.issues[0].path).toBe('state');
  });
});

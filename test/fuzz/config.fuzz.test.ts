import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { builtinKinds } from '../../nodes/index.js';
import { ConfigError } from '../../src/config/config-problem.js';
import { parseConfigText, type ConfigOverride } from '../../src/config/load-config.js';

/**
 * Hostile configs: the loader must either resolve a tree or throw a ConfigError whose
 * every problem says what is wrong; never another exception. `kinds:` entries are
 * dropped so fuzzed text never imports a module.
 */
const noKinds: ConfigOverride = (raw) => {
  delete raw.kinds;
};

async function load(text: string): Promise<'ok' | ConfigError> {
  try {
    await parseConfigText(text, 'fuzz.yaml', builtinKinds, [noKinds]);
    return 'ok';
  } catch (err) {
    if (!(err instanceof ConfigError)) throw new Error(`not a ConfigError: ${(err as Error).stack}\n--- config:\n${text}`);
    expect(err.problems.length).toBeGreaterThan(0);
    for (const p of err.problems) expect(p.message.trim().length).toBeGreaterThan(0);
    expect(err.report().length).toBeGreaterThan(0);
    return err;
  }
}

const base = {
  tree: 'demo',
  start: { id: 'b1', verb: 'run' },
  nodes: [
    { id: 'cell', kind: 'sequencer', period: '1s', params: { steps: [{ child: 'arm', verb: 'work', args: { seconds: 1 } }] } },
    { id: 'arm', kind: 'worker', parent: 'cell', period: '100ms' },
    { id: 'conveyor', kind: 'worker', parent: 'cell', period: '100ms' },
  ],
};

const RUNS = { text: 2000, mutated: 3000, ids: 500 };
export const configFuzzCases = RUNS.text + RUNS.mutated + RUNS.ids;

/** One random edit somewhere in the config tree. */
function mutate(doc: unknown, path: number[], value: unknown, op: number): unknown {
  if (path.length === 0 || doc === null || typeof doc !== 'object') return op === 0 ? undefined : value;
  const entries = Array.isArray(doc) ? doc.map((v, i) => [String(i), v] as const) : Object.entries(doc);
  if (entries.length === 0) return value;
  const [k, v] = entries[path[0] % entries.length];
  const copy: any = Array.isArray(doc) ? [...doc] : { ...doc };
  const next = mutate(v, path.slice(1), value, op);
  if (next === undefined) Array.isArray(copy) ? copy.splice(Number(k), 1) : delete copy[k];
  else copy[k] = next;
  return copy;
}

describe('fuzzing the config loader', () => {
  it('loads the unmutated config (the generators start from something real)', async () => {
    expect(await load(stringify(base))).toBe('ok');
  });

  // Found by this fuzzer: an alias to an anchor never set (`*x`) made yaml's toJS() throw
  // a ReferenceError out of parseConfigText; it is a ConfigError now.
  it('an alias to an unknown anchor is a ConfigError with a hint', async () => {
    expect(await load('tree: *nowhere\nnodes: []\n')).not.toBe('ok');
  });

  it('never throws anything but a ConfigError with reasons, on random text', async () => {
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.json(), fc.jsonValue().map((v) => stringify(v)));
    await fc.assert(fc.asyncProperty(text, async (t) => void (await load(t))), { numRuns: RUNS.text });
  });

  it('never throws anything but a ConfigError with reasons, on random edits of a valid config', async () => {
    const edit = fc.tuple(fc.array(fc.nat(), { maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), fc.nat(3));
    await fc.assert(fc.asyncProperty(edit, async ([path, value, op]) => void (await load(stringify(mutate(base, path, value, op) ?? null)))), { numRuns: RUNS.mutated });
  });

  it('refuses node and tree ids with +, # or / at validation, naming the place', async () => {
    const bad = fc.tuple(fc.stringMatching(/^[a-z]{0,4}$/), fc.constantFrom('+', '#', '/'), fc.stringMatching(/^[a-z]{0,4}$/)).map(([a, c, b]) => `${a}${c}${b}`);
    const where = fc.constantFrom('tree', 'node', 'parent');
    await fc.assert(
      fc.asyncProperty(bad, where, async (id, w) => {
        const cfg = structuredClone(base) as any;
        if (w === 'tree') cfg.tree = id;
        else if (w === 'node') cfg.nodes[1].id = id;
        else cfg.nodes[2].parent = id;
        const r = await load(stringify(cfg));
        expect(r).not.toBe('ok');
        const paths = (r as ConfigError).problems.map((p) => p.path.join('.'));
        expect(paths).toContain(w === 'tree' ? 'tree' : w === 'node' ? 'nodes.1.id' : 'nodes.2.parent');
      }),
      { numRuns: RUNS.ids },
    );
  });
});

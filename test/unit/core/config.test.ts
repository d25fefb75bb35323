import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-problem.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { parseDuration } from '../../../src/config/duration.js';
import { builtinKinds } from '../../../nodes/index.js';
import { treeFrom } from '../../support/trees.js';

async function problems(text: string): Promise<string> {
  try {
    await treeFrom(text);
  } catch (err) {
    if (err instanceof ConfigError) return err.report();
    throw err;
  }
  throw new Error('expected the config to be refused');
}

describe('config', () => {
  it('loads the demo tree with levels, children, siblings and timing worked out', async () => {
    const tree = await loadConfig('configs/demo.yaml', builtinKinds);
    expect(tree.root).toBe('cell');
    const cell = tree.specs.find((s) => s.id === 'cell')!;
    const arm = tree.specs.find((s) => s.id === 'arm')!;
    expect(cell).toMatchObject({ level: 1, children: ['conveyor', 'arm'], periodMs: 1000, horizonMs: 60_000, replanMs: 6000 });
    expect(arm).toMatchObject({ level: 0, parent: 'cell', siblings: ['conveyor'], periodMs: 100, parentPeriodMs: 1000, heartbeatMs: 1000 });
  });

  it('parses durations with units', () => {
    expect(parseDuration('10ms')).toBe(10);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('2min')).toBe(120_000);
    expect(parseDuration(250)).toBe(250);
    expect(parseDuration('soon')).toBeUndefined();
  });

  it('lists every problem with file:line:col, path and hint', async () => {
    const report = await problems(`tree: t
nodes:
  - id: top
    kind: sequencer
    period: 1s
  - id: mid
    kind: sequncer
    parent: top
    period: 2s
  - id: leaf
    kind: worker
    parent: midd
    period: 10ms
  - id: other
    kind: worker
    period: 10ms
`);
    expect(report).toMatchInlineSnapshot(`
      "test.yaml: 4 problems in the config:
        test.yaml:14:5 nodes[3]: "other" has no parent, but "top" is already the root
            hint: give "other" a parent; a tree has one root
        test.yaml:7:11 nodes[1].kind: unknown node kind "sequncer"
            hint: did you mean "sequencer"? (strata kinds lists them all)
        test.yaml:12:13 nodes[2].parent: parent "midd" is not a node of this tree
            hint: did you mean "mid"?
        test.yaml:9:13 nodes[1].period: "mid" cycles every 2000ms, slower than its parent "top" (1000ms)
            hint: lower levels run at least as fast as the levels above them"
    `);
  });

  it('refuses ids that would inject topic levels, and unknown keys', async () => {
    for (const bad of ['a/b', 'a+', '#']) {
      const r = await problems(`tree: t\nnodes:\n  - { id: "${bad}", kind: worker, period: 1s }\n`);
      expect(r).toMatch(/nodes\[0\]\.id: use only letters, digits/);
    }
    expect(await problems('tree: t\nnodes:\n  - { id: a, kind: worker, period: 1s, perod: 2s }\n')).toMatch(/Unrecognized key.*"perod"[\s\S]*hint: remove it/);
  });

  it('checks kind parameters and reports duplicates and cycles', async () => {
    expect(await problems('tree: t\nnodes:\n  - { id: a, kind: worker, period: 1s, params: { max_seconds: -1 } }\n')).toMatch(/nodes\[0\]\.params\.max_seconds: /);
    expect(await problems('tree: t\nnodes:\n  - { id: a, kind: worker, period: 1s }\n  - { id: a, kind: worker, period: 1s, parent: a }\n')).toMatch(/duplicate node id "a"/);
    const cyc = await problems('tree: t\nnodes:\n  - { id: r, kind: worker, period: 1s }\n  - { id: a, kind: worker, period: 1s, parent: b }\n  - { id: b, kind: worker, period: 1s, parent: a }\n');
    expect(cyc).toMatch(/is on a cycle of parents/);
  });

  it('says what is wrong with YAML syntax and unreadable files', async () => {
    expect(await problems('tree: t\nnodes: [\n')).toMatch(/YAML syntax/);
    await expect(loadConfig('configs/nope.yaml', builtinKinds)).rejects.toThrow(ConfigError);
  });
});

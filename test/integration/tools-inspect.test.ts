import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import { inspectCommand } from '../../src/tools/inspect/io/inspect-command.js';
import { collectRetained } from '../../src/tools/inspect/io/collect-retained.js';
import { brokerFixtures, uniqueTree, type TestBroker } from '../support/brokers.js';
import { startRun, treeFrom } from '../support/trees.js';

const demoYaml = (tree: string): string => readFileSync('configs/demo.yaml', 'utf8').replace(/^tree: demo$/m, `tree: ${tree}`);

/** Collects printed lines and lets a test wait for one. */
function printer() {
  const lines: string[] = [];
  let waiters: Array<{ pred: (l: string) => boolean; resolve: () => void }> = [];
  return {
    lines,
    print: (text: string) => {
      for (const l of text.split('\n')) {
        lines.push(l);
        waiters = waiters.filter((w) => (w.pred(l) ? (w.resolve(), false) : true));
      }
    },
    waitFor: (pred: (l: string) => boolean) => (lines.some(pred) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ pred, resolve }))),
  };
}

describe.each(brokerFixtures())('strata inspect over $name', (fixture) => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await fixture.start();
  });
  afterAll(async () => {
    await broker?.close();
  });

  it("lists a running tree's nodes from retained state, tails one node, and shows nodes going offline", async () => {
    const treeId = uniqueTree('insp');
    const run = await startRun(await treeFrom(demoYaml(treeId)), broker);
    await run.sendStart();
    expect(await run.run({ durationMs: 2500 })).toBe('time');

    const out = printer();
    expect(await inspectCommand({ broker: broker.url, tree: treeId }, silentLogger, out.print)).toBe(true);
    const text = out.lines.join('\n');
    expect(text).toContain(`tree ${treeId}: 3 nodes, 3 online`);
    expect(text).toMatch(/^cell\s+sequencer\s+1\s+-\s+online\s+1\s+batch-1 #1 executing/m);
    expect(text).toMatch(/^ {2}arm\s+worker\s+0\s+cell\s+online\s+1\s+-$/m);
    expect(text).toMatch(/^ {2}conveyor\s+worker\s+0\s+cell\s+online\s+1\s+batch-1\.0\.0 #1 executing \d+%/m);

    const json = printer();
    await inspectCommand({ broker: broker.url, tree: treeId, json: true }, silentLogger, json.print);
    const rows = JSON.parse(json.lines.join('\n'));
    expect(rows.map((r: { id: string }) => r.id)).toEqual(['cell', 'arm', 'conveyor']);

    const tail = printer();
    const stop = new AbortController();
    const tailing = inspectCommand({ broker: broker.url, tree: treeId, tail: 'conveyor' }, silentLogger, tail.print, { signal: stop.signal });
    // Retained state and status come first, then live messages as the tree runs on.
    await tail.waitFor((l) => / state {3}online session 1 worker level 0 parent cell .*\(retained\)$/.test(l));
    await run.run({ durationMs: 3000 });
    await tail.waitFor((l) => / t=\d+\.\d{3}s status {2}batch-1\.0\.0 #1 done 100%/.test(l));
    await tail.waitFor((l) => / sense {3}seq \d+ \{/.test(l));
    stop.abort();
    expect(await tailing).toBe(true);
    const lines = tail.lines.filter((l) => /^\d\d:\d\d:\d\d\.\d{3} /.test(l));
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) expect(l).toMatch(/^\S+( t=\d+\.\d{3}s)? (state|status|sense|health|cmd|error|peer\/arm) /);
    // Only conveyor's messages: its heartbeats say period 100ms and its statuses carry its task ids.
    expect(lines.filter((l) => / status /.test(l)).every((l) => l.includes('batch-1.0.0'))).toBe(true);

    await run.stop();
    const after = printer();
    await inspectCommand({ broker: broker.url, tree: treeId }, silentLogger, after.print);
    expect(after.lines.join('\n')).toContain(`tree ${treeId}: 3 nodes, 0 online`);
    // A death carries the node's kind, level and parent too, so a stopped tree still lists as a tree.
    const table = after.lines.join('\n');
    expect(table).toMatch(/^\s*arm\s+worker\s+0\s+cell\s+offline \(.+\)/m);
    expect(table).not.toMatch(/\?/);
    const link = broker.link({ clientId: `cleanup-${process.pid}-${Date.now()}` });
    await link.connect();
    for (const n of ['cell', 'conveyor', 'arm']) for (const ch of ['state', 'status']) await link.publish(`strata/${treeId}/${n}/${ch}`, '', { qos: 1, retain: true });
    await link.end();
  });

  it('says so when there is no tree, and collects only until the broker goes quiet', async () => {
    const out = printer();
    const treeId = uniqueTree('none');
    expect(await inspectCommand({ broker: broker.url, tree: treeId }, silentLogger, out.print)).toBe(false);
    expect(out.lines[0]).toContain(`no tree "${treeId}" on ${broker.url}: no retained node state under strata/${treeId}/+/state`);

    const link = broker.link({ clientId: `quiet-${process.pid}-${Date.now()}` });
    await link.connect();
    const t0 = performance.now();
    expect(await collectRetained(link, [`strata/${treeId}/+/state`], { quietMs: 50, maxMs: 5000 })).toEqual([]);
    // Nothing retained: done after the quiet period, long before the cap.
    expect(performance.now() - t0).toBeLessThan(4000);
    await link.end();
  });

  it('refuses to run without a broker or with a malformed id, saying what to give', async () => {
    await expect(inspectCommand({}, silentLogger, () => undefined)).rejects.toThrow(/needs --broker <url>/);
    await expect(inspectCommand({ broker: broker.url, tree: 'a/b' }, silentLogger, () => undefined)).rejects.toThrow(/--tree "a\/b" is not a tree id/);
    await expect(inspectCommand({ broker: broker.url, tail: '#' }, silentLogger, () => undefined)).rejects.toThrow(/--tail "#" is not a node id/);
  });
});

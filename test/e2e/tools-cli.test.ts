import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecording } from '../../src/tools/recording/io/read-recording.js';
import { aedesTcp, uniqueTree, type TestBroker } from '../support/brokers.js';
import { strata } from '../support/cli.js';
import { startRun, treeFrom } from '../support/trees.js';
import { Watcher } from '../support/watcher.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'strata-tools-'));

describe('strata schema', () => {
  it('writes the JSON Schemas and a valid AsyncAPI document for a config', async () => {
    const dir = tmp();
    const r = await strata(['schema', 'configs/demo.yaml', '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote ${join(dir, 'demo.asyncapi.json')}`);
    expect(readdirSync(dir).filter((f) => f.endsWith('.schema.json'))).toHaveLength(10);
    const { diagnostics } = await new Parser().parse(readFileSync(join(dir, 'demo.asyncapi.json'), 'utf8'));
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([]);
  });

  it('exits 2 listing the problems of a bad config', async () => {
    const dir = tmp();
    const bad = join(dir, 'bad.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, 'tree: t\nnodes:\n  - { id: a, kind: nope, period: 1s }\n');
    const r = await strata(['schema', bad, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:3/);
  });
});

describe('strata record, replay and inspect from the command line', () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await aedesTcp.start();
  });
  afterAll(async () => {
    await broker?.close();
  });

  it('answer --help and refuse bad usage with exit 2, saying what to give', async () => {
    const help = await strata(['inspect', '--help']);
    expect(help.stdout).toMatch(/--tail <node>/);
    expect((await strata(['replay', '--help'])).stdout).toMatch(/--rate <x>/);
    expect((await strata(['record', '--help'])).stdout).toMatch(/-o, --output <file.mcap>/);
    const noBroker = await strata(['record', '-o', join(tmp(), 'x.mcap')]);
    expect(noBroker.code).toBe(2);
    expect(noBroker.stderr).toMatch(/needs --broker <url>/);
    const notMcap = await strata(['replay', 'configs/demo.yaml', '--broker', broker.url]);
    expect(notMcap.code).toBe(2);
    expect(notMcap.stderr).toMatch(/is not an MCAP file/);
  });

  it('records a live tree until SIGTERM, replays it under another id, and inspect lists the replayed tree', async () => {
    const treeId = uniqueTree('e2e');
    const run = await startRun(await treeFrom(readFileSync('configs/demo.yaml', 'utf8').replace(/^tree: demo$/m, `tree: ${treeId}`)), broker);
    const file = join(tmp(), 'live.mcap');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'record', '--broker', broker.url, '--tree', treeId, '-o', file, '--verbose'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const recording = new Promise<void>((resolve) =>
      child.stdout.on('data', (d) => {
        stdout += d;
        if (stdout.includes('(Ctrl-C to stop)')) resolve();
      }),
    );
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await Promise.race([recording, exited.then(() => Promise.reject(new Error(`record exited early: ${stdout}${stderr}`)))]);

    // The recorder sees the births, the mission and the final statuses; --verbose tells when the last one is in.
    const lastIn = new Promise<void>((resolve) => child.stdout.on('data', () => stdout.includes(`strata/${treeId}/cell/status batch-1 #1 done 100%`) && resolve()));
    await run.sendStart();
    expect(await run.run({ durationMs: 60_000 })).toBe('done');
    await lastIn;
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('stopped (SIGTERM)');
    expect(stdout).toMatch(new RegExp(`strata/${treeId}/arm/status\\s+\\d+`));
    expect(stdout).toMatch(/total\s+\d+ messages on 1[2-9] topics/);
    let n = 0;
    for await (const m of readRecording(file)) if (m.topic.startsWith(`strata/${treeId}/`)) n++;
    expect(n).toBeGreaterThan(100);

    const replayTree = `${treeId}-again`;
    const replayWatcher = await Watcher.connect(broker.url, `strata/${replayTree}/#`);
    const replay = await strata(['replay', file, '--broker', broker.url, '--as-tree', replayTree, '--rate', '0']);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain(`done: republished ${n} messages`);
    await replayWatcher.waitFor(() => replayWatcher.seen.length >= n, `${n} replayed messages`);
    await replayWatcher.close();

    const inspect = await strata(['inspect', '--broker', broker.url, '--tree', replayTree]);
    expect(inspect.code).toBe(0);
    expect(inspect.stdout).toContain(`tree ${replayTree}: 3 nodes, 3 online`);
    expect(inspect.stdout).toMatch(/^cell\s+sequencer\s+1\s+-\s+online\s+1\s+batch-1 #1 done 100%/m);
    await run.stop();
  });
});

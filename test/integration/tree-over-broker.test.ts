import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../src/time/real-clock.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { brokerFixtures, uniqueTree, type TestBroker } from '../support/brokers.js';
import { startRun, treeFrom } from '../support/trees.js';
import { Watcher } from '../support/watcher.js';

const cellYaml = (tree: string, opts: { rootPeriod?: string; retries?: number; steps?: string } = {}): string => `
tree: ${tree}
start: { id: batch-1, verb: run }
nodes:
  - id: cell
    kind: sequencer
    period: ${opts.rootPeriod ?? '1s'}
    params:
      retries: ${opts.retries ?? 0}
      steps: ${opts.steps ?? `
        - { child: conveyor, verb: work, args: { seconds: 2 } }
        - { child: arm, verb: work, args: { seconds: 3 } }`}
  - { id: conveyor, kind: worker, parent: cell, period: 100ms }
  - { id: arm, kind: worker, parent: cell, period: 100ms }
`;

describe.each(brokerFixtures())('a tree over $name', (fixture) => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await fixture.start();
  });
  afterAll(async () => {
    await broker?.close();
  });

  it('announces retained births, runs a command down the tree and statuses up, and gives the same digest twice', async () => {
    const treeId = uniqueTree('lockstep');
    const digests: Array<string | null> = [];
    for (let i = 0; i < 2; i++) {
      const watcher = await Watcher.connect(broker.url, `strata/${treeId}/#`);
      const run = await startRun(await treeFrom(cellYaml(treeId)), broker);
      await run.sendStart();
      const end = await run.run({ durationMs: 60_000 });
      expect(end).toBe('done');
      digests.push(run.digest().digest);
      for (const node of ['cell', 'conveyor', 'arm']) {
        const birth = await watcher.waitFor((m) => m.topic === `strata/${treeId}/${node}/state` && m.json?.state === 'online', `${node} birth`);
        expect(birth.json).toMatchObject({ v: 1, node, session: 1 });
      }
      const armDone = await watcher.waitFor((m) => m.topic.endsWith('/arm/status') && m.json?.state === 'done', 'arm done');
      expect(armDone.json).toMatchObject({ id: 'batch-1.1.0', progress: 1 });
      const cellDone = await watcher.waitFor((m) => m.topic.endsWith('/cell/status') && m.json?.state === 'done', 'cell done');
      expect(cellDone.json.plan.steps.map((s: { state: string }) => s.state)).toEqual(['done', 'done']);
      // 2 s + 3 s of work, each step started within a cycle of the one before ending.
      expect(cellDone.json.t).toBeGreaterThanOrEqual(5000);
      expect(cellDone.json.t).toBeLessThanOrEqual(5300);
      await run.stop();
      await watcher.waitFor((m) => m.topic.endsWith('/arm/state') && m.json?.state === 'offline', 'arm offline after stop');
      await watcher.close();
    }
    expect(digests[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(digests[1]).toBe(digests[0]);
  });

  it('wakes a node at once on a command instead of waiting out its period', async () => {
    const treeId = uniqueTree('wake');
    const clock = new VirtualClock();
    const run = await startRun(await treeFrom(cellYaml(treeId, { rootPeriod: '10s', steps: '[{ child: arm, verb: work, args: { seconds: 0.5 } }]' })), broker, { clock });
    await run.run({ durationMs: 3000 });
    const seen: Array<{ t: number; topic: string; payload: string }> = [];
    await run.operator.command('cell', 'run', {}, { id: 'late' });
    run.watch('late');
    const unsubscribe = (t: string, p: string, now: number) => seen.push({ t: now, topic: t, payload: p });
    (run as unknown as { options: { onPublish?: typeof unsubscribe } }).options.onPublish = unsubscribe;
    expect(await run.run({ durationMs: 30_000 })).toBe('done');
    const cell = seen.filter((m) => m.topic.endsWith('/cell/status')).map((m) => ({ t: m.t, ...JSON.parse(m.payload) }));
    // Executed in the cycle it arrived in: its first status is already `executing`, at 3 s, not at the next period.
    expect(cell[0]).toMatchObject({ state: 'executing', t: 3000 });
    expect(cell.find((s) => s.state === 'done')!.t).toBeLessThan(4000);
    await run.stop();
  });

  it('rejects malformed, oversized, mistyped and retained commands on `error`, and keeps running', async () => {
    const treeId = uniqueTree('bad');
    const watcher = await Watcher.connect(broker.url, `strata/${treeId}/#`);
    const cmdTopic = `strata/${treeId}/arm/cmd`;
    // A retained command left on the broker would run again at every restart: refused at subscribe.
    await watcher.publish(cmdTopic, JSON.stringify({ v: 1, id: 'r', serial: 1, verb: 'work', args: { seconds: 1 } }), true);
    const run = await startRun(await treeFrom(cellYaml(treeId)), broker, { clock: new RealClock() });
    const end = run.run();
    await watcher.waitFor((m) => m.topic.endsWith('/arm/state') && m.json?.state === 'online', 'arm online');
    await watcher.publish(cmdTopic, '{oops');
    await watcher.publish(cmdTopic, Buffer.alloc(300 * 1024, 0x20));
    await watcher.publish(cmdTopic, JSON.stringify({ v: 1, id: 'x', serial: 'one', verb: 'work' }));
    const errors = () => watcher.on('/arm/error').map((m) => m.json.reason as string);
    await watcher.waitFor(() => errors().length >= 4, 'four errors');
    expect(errors()).toEqual([
      expect.stringMatching(/retained command was refused/),
      expect.stringMatching(/not JSON/),
      expect.stringMatching(/over the 262144-byte limit/),
      expect.stringMatching(/^serial: /),
    ]);
    expect(watcher.on('/arm/status').filter((m) => m.json?.id === 'r')).toEqual([]);
    // Still alive: a valid command runs to done, and health counts the rejections.
    await watcher.publish(cmdTopic, JSON.stringify({ v: 1, id: 'ok', serial: 5, verb: 'work', args: { seconds: 0.2 } }));
    await watcher.waitFor((m) => m.topic.endsWith('/arm/status') && m.json?.id === 'ok' && m.json.state === 'done', 'valid command done');
    const health = await watcher.waitFor((m) => m.topic.endsWith('/arm/health') && m.json?.rejected >= 4, 'health counting rejections');
    expect(health.json).toMatchObject({ node: 'arm', period_ms: 100 });
    await watcher.publish(cmdTopic, '', true); // clear the retained command
    run.requestStop();
    await end;
    await run.stop();
    await watcher.close();
  });

  it('fails the command of a child that dies, and the parent fails upward with the reason', async () => {
    const treeId = uniqueTree('kill');
    const watcher = await Watcher.connect(broker.url, `strata/${treeId}/#`);
    const run = await startRun(await treeFrom(cellYaml(treeId, { steps: '[{ child: arm, verb: work, args: { seconds: 60 } }]' })), broker, { clock: new RealClock() });
    const end = run.run();
    await run.sendStart();
    await watcher.waitFor((m) => m.topic.endsWith('/arm/status') && m.json?.state === 'executing', 'arm executing');
    run.crash('arm');
    const will = await watcher.waitFor((m) => m.topic.endsWith('/arm/state') && m.json?.state === 'offline', 'arm last will');
    expect(will.json.reason).toBe('connection lost (last will)');
    const failed = await watcher.waitFor((m) => m.topic.endsWith('/cell/status') && m.json?.state === 'failed', 'cell failed');
    expect(failed.json.reason).toMatch(/child arm went offline: connection lost \(last will\)/);
    expect(await end).toBe('failed');
    await run.stop();
    await watcher.close();
  });

  it("stops a child's command safely when its parent dies, and says why", async () => {
    const treeId = uniqueTree('orphan');
    const watcher = await Watcher.connect(broker.url, `strata/${treeId}/#`);
    const run = await startRun(await treeFrom(cellYaml(treeId, { steps: '[{ child: arm, verb: work, args: { seconds: 60 } }]' })), broker, { clock: new RealClock() });
    const end = run.run();
    await run.sendStart();
    await watcher.waitFor((m) => m.topic.endsWith('/arm/status') && m.json?.state === 'executing', 'arm executing');
    run.crash('cell');
    const stopped = await watcher.waitFor((m) => m.topic.endsWith('/arm/status') && m.json?.state === 'aborted', 'arm stopped');
    expect(stopped.json.reason).toMatch(/parent cell went offline \(connection lost \(last will\)\); stopped safely/);
    run.requestStop();
    await end;
    await run.stop();
    await watcher.close();
  });

  it('an abort of the root stops the step its child is running: the abort goes down the tree', async () => {
    const treeId = uniqueTree('abort-down');
    const watcher = await Watcher.connect(broker.url, `strata/${treeId}/#`);
    const run = await startRun(await treeFrom(cellYaml(treeId, { rootPeriod: '100ms', steps: '[{ child: arm, verb: work, args: { seconds: 60 } }]' })), broker);
    await run.sendStart();
    await run.run({ durationMs: 2000 });
    await run.operator.abort('cell');
    await run.run({ durationMs: 4000 });
    const cell = await watcher.waitFor((m) => m.topic.endsWith('/cell/status') && m.json?.state === 'aborted', 'cell aborted');
    expect(cell.json.reason).toMatch(/aborted by operator/);
    // The sequencer's behavior gives the arm nothing once its task is gone; the runtime
    // stops what the task set in motion.
    const arm = await watcher.waitFor((m) => m.topic.endsWith('/arm/status') && m.json?.id === 'batch-1.0.0' && m.json.state === 'aborted', 'arm step aborted');
    expect(arm.json.reason).toMatch(/aborted by cell/);
    expect(arm.json.t).toBeLessThanOrEqual(cell.json.t + 100);
    expect(watcher.seen.filter((m) => m.topic.endsWith('/arm/status') && m.json?.state === 'done')).toEqual([]);
    await run.stop();
    await watcher.close();
  });

  it('preempts a running command with a newer one and stops it with abort', async () => {
    const treeId = uniqueTree('preempt');
    const watcher = await Watcher.connect(broker.url, `strata/${treeId}/#`);
    const run = await startRun(await treeFrom(cellYaml(treeId)), broker, { clock: new RealClock() });
    const end = run.run();
    await run.operator.command('arm', 'work', { seconds: 60 }, { id: 'first' });
    await watcher.waitFor((m) => m.topic.endsWith('/arm/status') && m.json?.id === 'first' && m.json.state === 'executing', 'first executing');
    await run.operator.command('arm', 'work', { seconds: 60 }, { id: 'second' });
    const aborted = await watcher.waitFor((m) => m.topic.endsWith('/arm/status') && m.json?.id === 'first' && m.json.state === 'aborted', 'first aborted');
    expect(aborted.json.reason).toMatch(/preempted by command "second"/);
    await watcher.waitFor((m) => m.topic.endsWith('/arm/status') && m.json?.id === 'second' && m.json.state === 'executing', 'second executing');
    await run.operator.abort('arm');
    const stopped = await watcher.waitFor((m) => m.topic.endsWith('/arm/status') && m.json?.id === 'second' && m.json.state === 'aborted', 'second aborted');
    expect(stopped.json.reason).toMatch(/aborted by operator/);
    // Heartbeats: at least once a second.
    const beats = await watcher.waitFor(() => watcher.on('/arm/health').length >= 2, 'two heartbeats');
    void beats;
    const [h1, h2] = watcher.on('/arm/health').map((m) => m.json.t as number);
    expect(h2 - h1).toBeLessThanOrEqual(1100);
    run.requestStop();
    await end;
    await run.stop();
    await watcher.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock, TimerHandle } from '../../src/time/clock.js';
import { RealClock } from '../../src/time/real-clock.js';
import { relayKind } from '../bench/support/relay-kind.js';
import { aedesTcp, uniqueTree, type TestBroker } from '../support/brokers.js';
import { startRun, treeFrom } from '../support/trees.js';
import type { AnyNodeKind } from '../../src/node/node-kind.js';

/** A real clock that counts the zero-delay timers it has run (a node's "next turn" wakes). */
class CountingClock extends RealClock implements Clock {
  turns = 0;
  override setTimer(delayMs: number, fn: () => void): TimerHandle {
    if (delayMs > 0) return super.setTimer(delayMs, fn);
    return super.setTimer(0, () => {
      this.turns++;
      fn();
    });
  }
}

// Free-running (real time, no lockstep), a command and a child's status are taken in the
// handler that received them; other inputs wait for the next turn of the event loop.
describe('free-running nodes act on commands and children’s statuses at once', () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await aedesTcp.start();
  });
  afterAll(async () => {
    await broker?.close();
  });

  it('a child’s done status runs the parent’s cycle in its handler, up a 3-level chain', async () => {
    const tree = uniqueTree('run-now');
    const yaml = `
tree: ${tree}
time: { mode: real }
nodes:
  - { id: top, kind: relay, period: 10s }
  - { id: mid, kind: relay, parent: top, period: 10s }
  - { id: leaf, kind: relay, parent: mid, period: 10s }
`;
    const clock = new CountingClock();
    const statuses: Array<{ node: string; id: string; state: string; turns: number }> = [];
    const waiting = new Map<string, () => void>();
    const topDone = (id: string) => new Promise<void>((resolve) => waiting.set(id, resolve));
    const run = await startRun(await treeFrom(yaml, [relayKind as unknown as AnyNodeKind]), broker, {
      clock,
      lockstep: false,
      onPublish: (t, p) => {
        if (!t.endsWith('/status') || p.length === 0) return;
        const j = JSON.parse(p) as { id: string; state: string };
        const s = { node: t.split('/')[2], id: j.id, state: j.state, turns: clock.turns };
        statuses.push(s);
        if (s.node === 'top' && s.state === 'done') waiting.get(s.id)?.();
      },
    });
    try {
      // A first command settles start-up: once it is done, every parent has taken in its
      // child's birth (commands wait for it), and nothing else in this tree wakes a node.
      const first = topDone('c0');
      await run.operator.command('top', 'go', {}, { id: 'c0' });
      await first;
      const done = topDone('c1');
      await run.operator.command('top', 'go', {}, { id: 'c1' });
      await done;
      const c1 = statuses.filter((s) => s.id.startsWith('c1'));
      const seq = c1.filter((s) => s.state === 'done' || s.state === 'executing').map((s) => `${s.node}:${s.state}`);
      expect(seq).toEqual(['top:executing', 'mid:executing', 'leaf:done', 'mid:done', 'top:done']);
      // Back up, each done went out from the handler of the child's done: no wake timer ran
      // between the leaf's done and the top's (there used to be one turn per level).
      const up = c1.filter((s) => s.state === 'done');
      expect(up.map((s) => s.turns)).toEqual(up.map(() => up[0].turns));
    } finally {
      await run.stop();
    }
  });
});

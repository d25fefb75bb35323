import { describe, expect, it } from 'vitest';
import type { NodeState } from '../../../src/contracts/state.js';
import type { Status } from '../../../src/contracts/status.js';
import { ChildTracker } from '../../../src/node/child-tracker.js';

const online = (node: string, session: number): NodeState => ({ v: 1, node, state: 'online', session });
const offline = (node: string): NodeState => ({ v: 1, node, state: 'offline', session: 1, reason: 'connection lost (last will)' });
const status = (id: string, state: Status['state'], serial = 1): Status => ({ v: 1, node: 'c', id, serial, state, progress: 0, reason: '', t: 0 });
/** A tracker whose child `c` has announced its birth. */
const withOnlineChild = (session = 1): ChildTracker => {
  const t = new ChildTracker('p', ['c'], session);
  t.onState('c', online('c', 1));
  return t;
};

describe('ChildTracker (a parent’s side of the protocol)', () => {
  it('sends a command once, updates on new args, and refreshes when asked', () => {
    const t = withOnlineChild(7);
    const first = t.reconcile({ c: { id: 'a', verb: 'go', args: { x: 1 } } }, 0);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ child: 'c', command: { id: 'a', from: 'p', session: 7, serial: 1 } });
    expect(t.reconcile({ c: { id: 'a', verb: 'go', args: { x: 1 } } }, 10)).toEqual([]);
    const upd = t.reconcile({ c: { id: 'a', verb: 'go', args: { x: 2 } } }, 20);
    expect(upd[0].command).toMatchObject({ id: 'a', serial: 2, args: { x: 2 } });
    const ref = t.reconcile({ c: { id: 'a', verb: 'go', args: { x: 2 }, refreshMs: 100 } }, 130);
    expect(ref[0].command.serial).toBe(3);
  });

  it('does not restart a finished task under the same id', () => {
    const t = withOnlineChild();
    t.reconcile({ c: { id: 'a', verb: 'go' } }, 0);
    t.onStatus('c', status('a', 'done'));
    expect(t.reconcile({ c: { id: 'a', verb: 'go' } }, 1)).toEqual([]);
    expect(t.reconcile({ c: { id: 'b', verb: 'go' } }, 2)).toHaveLength(1);
  });

  it('aborts the running command when behavior generation wants nothing', () => {
    const t = withOnlineChild();
    t.reconcile({ c: { id: 'a', verb: 'go' } }, 0);
    const out = t.reconcile({ c: undefined }, 1);
    expect(out[0].command).toMatchObject({ verb: 'abort', target: 'a' });
  });

  it('ends our command failed when the child goes offline or restarts', () => {
    const t = new ChildTracker('p', ['c'], 1);
    t.onState('c', online('c', 1));
    t.reconcile({ c: { id: 'a', verb: 'go' } }, 0);
    t.onStatus('c', status('a', 'executing'));
    const ev = t.onState('c', offline('c'));
    expect(ev).toContainEqual({ type: 'child-status', child: 'c', id: 'a', state: 'failed', reason: 'child c went offline: connection lost (last will)' });
    expect(t.views().c.command?.state).toBe('failed');

    // While the child is down, nothing is sent: the command waits for its birth.
    expect(t.reconcile({ c: { id: 'b', verb: 'go' } }, 1)).toEqual([]);
    t.onState('c', online('c', 2));
    expect(t.reconcile({ c: { id: 'b', verb: 'go' } }, 2)[0].command).toMatchObject({ id: 'b' });
    // A restart we never saw as offline (faster than the will) is caught by the new session.
    t.reconcile({ c: { id: 'd', verb: 'go' } }, 2);
    const restart = t.onState('c', online('c', 3));
    expect(restart[0]).toMatchObject({ state: 'failed', reason: 'child c restarted (new session 3)' });
  });

  it('ignores statuses of other commands and counts sensation gaps', () => {
    const t = withOnlineChild();
    t.reconcile({ c: { id: 'a', verb: 'go' } }, 0);
    expect(t.onStatus('c', status('old', 'done'))).toEqual([]);
    t.onSense('c', { v: 1, node: 'c', t: 0, seq: 0, values: { x: 1 } });
    t.onSense('c', { v: 1, node: 'c', t: 1, seq: 3, values: { x: 2 } });
    const v = t.views().c;
    expect(v.senseGaps).toBe(2);
    expect(v.sense).toEqual({ x: 2 });
    expect(v.senseSinceLastCycle).toHaveLength(2);
    expect(t.views().c.senseSinceLastCycle).toHaveLength(0);
  });

  it('sends an unfinished command again, same id and serial, when the child reconnects with the same session', () => {
    const t = withOnlineChild();
    const [sent] = t.reconcile({ c: { id: 'a', verb: 'go' } }, 0);
    expect(t.takeResends()).toEqual([]);
    t.onState('c', online('c', 1)); // re-announced after a broker restart
    expect(t.takeResends()).toEqual([{ child: 'c', command: sent.command }]);
    t.onStatus('c', status('a', 'done'));
    t.onState('c', online('c', 1));
    expect(t.takeResends()).toEqual([]);
  });

  it('refuses to command a node that is not a child', () => {
    const t = withOnlineChild();
    expect(() => t.reconcile({ x: { id: 'a', verb: 'go' } }, 0)).toThrow(/"x", which is not a child of p; children are: c/);
  });
  it('sends an unacknowledged new command again (same id and serial), with a doubling wait, and stops once a status arrives', () => {
    const t = new ChildTracker('p', ['c'], 1);
    t.onState('c', { ...online('c', 1), period_ms: 500 }); // wait = max(1000, 5 × 500) = 2500 ms
    const [sent] = t.reconcile({ c: { id: 'a', verb: 'go' } }, 0);
    expect(t.checkAcks(2499).resend).toEqual([]);
    const first = t.checkAcks(2500);
    expect(first.resend).toEqual([{ child: 'c', command: sent.command }]);
    expect(first.events).toEqual([]);
    // Next wait is doubled: 2500 × 2 after the re-send.
    expect(t.checkAcks(7499).resend).toEqual([]);
    expect(t.checkAcks(7500).resend).toHaveLength(1);
    expect(t.resendCount()).toBe(2);
    t.onStatus('c', status('a', 'executing'));
    expect(t.checkAcks(100_000).resend).toEqual([]);
    expect(t.views().c.command?.state).toBe('executing');
  });

  it('gives up after the last re-send: the command ends failed with a reason the parent can act on', () => {
    const t = withOnlineChild(); // no period in the birth: the 1000 ms floor
    t.reconcile({ c: { id: 'a', verb: 'go' } }, 0);
    let now = 0;
    let resends = 0;
    let gaveUp: ReturnType<ChildTracker['checkAcks']>['events'] = [];
    for (let i = 0; i < 100 && gaveUp.length === 0; i++) {
      now += 500;
      const r = t.checkAcks(now);
      resends += r.resend.length;
      gaveUp = r.events;
    }
    expect(resends).toBe(3);
    // 1000 + 2000 + 4000 + 8000 ms of waiting.
    expect(now).toBe(15_000);
    expect(gaveUp).toEqual([{ type: 'child-status', child: 'c', id: 'a', state: 'failed', reason: expect.stringMatching(/never acknowledged go "a" \(no status in 15000 ms, 3 re-sends\)/) }]);
    expect(t.views().c.command?.state).toBe('failed');
    expect(t.checkAcks(now + 100_000)).toEqual({ resend: [], events: [] });
  });

  it('sends an abort again while the command it stops has not ended, even after behavior generation stopped asking', () => {
    const t = withOnlineChild(); // the 1000 ms floor
    t.reconcile({ c: { id: 'a', verb: 'go' } }, 0);
    t.onStatus('c', status('a', 'executing'));
    const [abort] = t.reconcile({ c: undefined }, 100);
    expect(abort.command).toMatchObject({ verb: 'abort', target: 'a' });
    // Behavior generation asks once and then leaves the child alone (omits it).
    t.reconcile({}, 200);
    expect(t.checkAcks(1099).resend).toEqual([]);
    // A status that is not the end (a progress report sent before the abort arrived) does not count.
    t.onStatus('c', { ...status('a', 'executing'), progress: 0.5 });
    expect(t.checkAcks(1100).resend).toEqual([{ child: 'c', command: abort.command }]);
    t.onStatus('c', status('a', 'aborted', abort.command.serial));
    expect(t.checkAcks(100_000).resend).toEqual([]);
    expect(t.views().c.command?.state).toBe('aborted');
  });

  it('gives up on an abort that never takes effect: the command ends failed, saying it may still be running', () => {
    const t = withOnlineChild();
    t.reconcile({ c: { id: 'a', verb: 'go' } }, 0);
    t.onStatus('c', status('a', 'executing'));
    t.reconcile({ c: undefined }, 1000);
    let now = 1000;
    let resends = 0;
    let gaveUp: ReturnType<ChildTracker['checkAcks']>['events'] = [];
    for (let i = 0; i < 100 && gaveUp.length === 0; i++) {
      now += 500;
      const r = t.checkAcks(now);
      expect(r.resend.every((x) => x.command.verb === 'abort')).toBe(true);
      resends += r.resend.length;
      gaveUp = r.events;
    }
    expect(resends).toBe(3);
    expect(gaveUp).toEqual([
      { type: 'child-status', child: 'c', id: 'a', state: 'failed', reason: expect.stringMatching(/never acknowledged the abort of "a" \(still not ended 15000 ms after the abort, 3 re-sends\): it may still be running/) },
    ]);
  });

  it('does not re-send to a child that is offline, nor once the command was replaced', () => {
    const t = withOnlineChild();
    t.reconcile({ c: { id: 'a', verb: 'go' } }, 0);
    t.reconcile({ c: { id: 'b', verb: 'go' } }, 10);
    t.onStatus('c', status('b', 'executing', 2));
    expect(t.checkAcks(5000).resend).toEqual([]);
    t.reconcile({ c: { id: 'c2', verb: 'go' } }, 20);
    t.onState('c', offline('c'));
    expect(t.checkAcks(5000).resend).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Command } from '../../../src/contracts/command.js';
import { TaskTracker } from '../../../src/node/task-tracker.js';

const verbs = { go: z.object({ x: z.number() }).strict(), wait: z.object({}).strict() };
let serial = 0;
const cmd = (over: Partial<Command> = {}): Command => ({ v: 1, id: 'c1', serial: ++serial, verb: 'go', args: { x: 1 }, from: 'parent', session: 1, ...over });

describe('TaskTracker (the command protocol)', () => {
  it('takes a command through received → executing → done, echoing id and serial', () => {
    const t = new TaskTracker('n', verbs);
    const c = cmd();
    const r = t.receive(c, 0);
    expect(r.wake).toBe(true);
    expect(r.statuses.map((s) => [s.id, s.serial, s.state])).toEqual([['c1', c.serial, 'received']]);
    expect(t.report(undefined, 1).status).toMatchObject({ state: 'executing', id: 'c1', serial: c.serial });
    expect(t.report({ state: 'executing', progress: 0.5 }, 2).status).toMatchObject({ progress: 0.5 });
    expect(t.report({ state: 'done' }, 3).status).toMatchObject({ state: 'done', progress: 1 });
    expect(t.active()).toBeUndefined();
    expect(t.report({ state: 'done' }, 4).status).toBeUndefined();
  });

  it('preempts: a new command ends the running one aborted, naming the newer', () => {
    const t = new TaskTracker('n', verbs);
    t.receive(cmd({ id: 'a' }), 0);
    t.report(undefined, 1);
    const r = t.receive(cmd({ id: 'b' }), 2);
    expect(r.statuses.map((s) => [s.id, s.state])).toEqual([
      ['a', 'aborted'],
      ['b', 'received'],
    ]);
    expect(r.statuses[0].reason).toMatch(/preempted by command "b"/);
  });

  it('treats the same id with a higher serial as an update of the running task', () => {
    const t = new TaskTracker('n', verbs);
    t.receive(cmd({ id: 'a', args: { x: 1 } }), 0);
    const r = t.receive(cmd({ id: 'a', args: { x: 5 } }), 1);
    expect(r.statuses).toEqual([]);
    expect(r.events[0]).toMatchObject({ type: 'task-update', id: 'a' });
    expect(t.active()?.args).toEqual({ x: 5 });
  });

  it('executes a redelivered serial only once', () => {
    const t = new TaskTracker('n', verbs);
    const c = cmd({ id: 'a' });
    t.receive(c, 0);
    const again = t.receive({ ...c }, 1);
    expect(again.duplicate).toBe(true);
    expect(again.events).toEqual([]);
    expect(t.duplicateCount()).toBe(1);
    // Serials are per sender session: a restarted parent starts again at 1.
    expect(t.receive(cmd({ id: 'b', session: 2, serial: 1 }), 2).duplicate).toBe(false);
  });

  it('aborts with the abort verb, and rejects an abort with nothing to stop', () => {
    const t = new TaskTracker('n', verbs);
    expect(t.receive(cmd({ id: 'x', verb: 'abort', args: {} }), 0).statuses[0]).toMatchObject({ id: 'x', state: 'rejected' });
    t.receive(cmd({ id: 'a' }), 1);
    const r = t.receive(cmd({ id: 'stop', verb: 'abort', args: {} }), 2);
    expect(r.statuses[0]).toMatchObject({ id: 'a', state: 'aborted' });
    expect(t.active()).toBeUndefined();
  });

  it('rejects unknown verbs and bad arguments with a reason, leaving the running task alone', () => {
    const t = new TaskTracker('n', verbs);
    t.receive(cmd({ id: 'a' }), 0);
    const unknown = t.receive(cmd({ id: 'b', verb: 'fly' }), 1);
    expect(unknown.statuses[0]).toMatchObject({ id: 'b', state: 'rejected' });
    expect(unknown.statuses[0].reason).toBe('unknown verb "fly"; n accepts: go, wait, abort');
    const bad = t.receive(cmd({ id: 'c', args: { x: 'far' } }), 2);
    expect(bad.statuses[0].reason).toMatch(/^bad arguments for "go": args.x: /);
    expect(bad.errors[0].issues[0].path).toBe('args.x');
    expect(t.active()?.id).toBe('a');
  });

  it('lets the kind refuse a command in accept()', () => {
    const t = new TaskTracker('n', verbs, (task) => ((task.args.x as number) > 10 ? 'too far' : undefined));
    expect(t.receive(cmd({ args: { x: 11 } }), 0).statuses[0]).toMatchObject({ state: 'rejected', reason: 'too far' });
    expect(t.active()).toBeUndefined();
  });
});

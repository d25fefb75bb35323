import { describe, expect, it } from 'vitest';
import { restartDelay } from '../../../src/supervisor/restart-backoff.js';
import { Supervisor, type Spawner, type SupervisorEvent } from '../../../src/supervisor/supervisor.js';
import { VirtualClock } from '../../../src/time/virtual-clock.js';

/** Fake processes the test ends by hand. */
function fakeSpawner() {
  let pid = 100;
  const live = new Map<number, { exit: (code: number | null, signal: NodeJS.Signals | null) => void; signals: string[]; ids: string[] }>();
  const spawn: Spawner = (unit, _line, onExit) => {
    const p = ++pid;
    const rec = { exit: (c: number | null, s: NodeJS.Signals | null) => (live.delete(p), onExit(c, s)), signals: [] as string[], ids: unit.ids };
    live.set(p, rec);
    return { pid: p, kill: (sig) => rec.signals.push(sig) };
  };
  return { spawn, live };
}

describe('Supervisor', () => {
  it('restarts a crashing process with doubling delays, and quickly again after a healthy run', () => {
    const clock = new VirtualClock();
    const { spawn, live } = fakeSpawner();
    const events: SupervisorEvent[] = [];
    const policy = { initialMs: 100, maxMs: 1000, stableMs: 5000 };
    const sup = new Supervisor({ units: [{ ids: ['arm'], args: [] }], spawn, clock, backoff: policy, onEvent: (e) => events.push(e) });
    sup.start();
    const delays: Array<number | undefined> = [];
    for (let i = 0; i < 6; i++) {
      const [, rec] = [...live][0];
      rec.exit(null, 'SIGKILL');
      const ex = events.at(-1) as Extract<SupervisorEvent, { type: 'exited' }>;
      delays.push(ex.restartInMs);
      expect(live.size).toBe(0);
      clock.increment(ex.restartInMs!);
      expect(live.size).toBe(1);
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    clock.increment(6000);
    [...live][0][1].exit(1, null);
    expect((events.at(-1) as { restartInMs: number }).restartInMs).toBe(100);
    expect(events.filter((e) => e.type === 'started').map((e) => (e as { restart: number }).restart)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(restartDelay(30, policy)).toBe(1000);
  });

  it('stops with SIGTERM, then SIGKILL after the grace period, and restarts nothing', async () => {
    const clock = new VirtualClock();
    const { spawn, live } = fakeSpawner();
    const events: SupervisorEvent[] = [];
    const sup = new Supervisor({ units: [{ ids: ['a'], args: [] }, { ids: ['b', 'c'], args: [] }], spawn, clock, graceMs: 3000, onEvent: (e) => events.push(e) });
    sup.start();
    expect([...sup.pids().keys()]).toEqual(['a', 'b', 'c']);
    const [[, a], [, bc]] = [...live];
    const stopped = sup.stop();
    expect(a.signals).toEqual(['SIGTERM']);
    a.exit(0, null);
    clock.increment(2999);
    expect(bc.signals).toEqual(['SIGTERM']);
    clock.increment(1);
    expect(bc.signals).toEqual(['SIGTERM', 'SIGKILL']);
    bc.exit(null, 'SIGKILL');
    await stopped;
    expect(events.at(-1)).toEqual({ type: 'stopped' });
    clock.increment(60_000);
    expect(live.size).toBe(0);
    expect(events.filter((e) => e.type === 'exited').every((e) => (e as { restartInMs?: number }).restartInMs === undefined)).toBe(true);
  });
});

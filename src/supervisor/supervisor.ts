import type { Clock, TimerHandle } from '../time/clock.js';
import { defaultBackoff, nextAttempt, restartDelay, type BackoffPolicy } from './restart-backoff.js';

/** One supervised process: one node, or a group of nodes sharing a process. */
export interface LaunchUnit {
  /** Node ids the process runs. */
  ids: string[];
  /** Command-line arguments after the strata script (`node <config> --id x ...`). */
  args: string[];
  /** Extra environment (credentials travel here, not in argv where `ps` shows them). */
  env?: Record<string, string>;
}

/** A running child process, as the supervisor sees it. */
export interface ChildHandle {
  readonly pid: number | undefined;
  kill(signal: NodeJS.Signals): void;
}

/** Starts a process; calls `onLine` for each output line and `onExit` once. */
export type Spawner = (unit: LaunchUnit, onLine: (line: string, stream: 'out' | 'err') => void, onExit: (code: number | null, signal: NodeJS.Signals | null) => void) => ChildHandle;

export type SupervisorEvent =
  | { type: 'started'; unit: LaunchUnit; pid: number | undefined; restart: number }
  | { type: 'exited'; unit: LaunchUnit; pid: number | undefined; code: number | null; signal: NodeJS.Signals | null; restartInMs: number | undefined }
  | { type: 'line'; unit: LaunchUnit; line: string; stream: 'out' | 'err' }
  | { type: 'stopped' };

export interface SupervisorOptions {
  units: LaunchUnit[];
  spawn: Spawner;
  clock: Clock;
  backoff?: BackoffPolicy;
  /** After SIGTERM, how long to wait before SIGKILL (ms). */
  graceMs?: number;
  onEvent: (e: SupervisorEvent) => void;
}

interface Slot {
  unit: LaunchUnit;
  child: ChildHandle | undefined;
  startedAt: number;
  attempt: number;
  restarts: number;
  timer: TimerHandle | undefined;
  exited: Promise<void> | undefined;
}

/**
 * Keeps a set of processes running: restarts each on exit with exponential backoff,
 * and stops them all with SIGTERM, then SIGKILL after a grace period. Time comes from
 * the injected clock and processes from the injected spawner, so tests drive it.
 */
export class Supervisor {
  private readonly slots: Slot[];
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {
    this.slots = options.units.map((unit) => ({ unit, child: undefined, startedAt: 0, attempt: 0, restarts: 0, timer: undefined, exited: undefined }));
  }

  /** Starts every process. */
  start(): void {
    for (const s of this.slots) this.launch(s);
  }

  /** The pid now running each node id (undefined while it waits to restart). */
  pids(): Map<string, number | undefined> {
    const m = new Map<string, number | undefined>();
    for (const s of this.slots) for (const id of s.unit.ids) m.set(id, s.child?.pid);
    return m;
  }

  /** Stops restarting, sends SIGTERM to all, SIGKILL to those still up after the grace period. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const waits: Promise<void>[] = [];
    for (const s of this.slots) {
      s.timer?.cancel();
      if (!s.child || !s.exited) continue;
      const child = s.child;
      child.kill('SIGTERM');
      const kill = this.options.clock.setTimer(this.options.graceMs ?? 5000, () => child.kill('SIGKILL'));
      waits.push(s.exited.then(() => kill.cancel()));
    }
    await Promise.all(waits);
    this.options.onEvent({ type: 'stopped' });
  }

  private launch(s: Slot): void {
    s.timer = undefined;
    if (this.stopping) return;
    const { clock, onEvent } = this.options;
    let done!: () => void;
    s.exited = new Promise((r) => (done = r));
    s.startedAt = clock.now();
    const child = this.options.spawn(
      s.unit,
      (line, stream) => onEvent({ type: 'line', unit: s.unit, line, stream }),
      (code, signal) => {
        const ran = clock.now() - s.startedAt;
        const pid = s.child?.pid;
        s.child = undefined;
        let restartInMs: number | undefined;
        if (!this.stopping) {
          const policy = this.options.backoff ?? defaultBackoff;
          const attempt = nextAttempt(s.attempt, ran, policy);
          restartInMs = restartDelay(attempt, policy);
          s.attempt = attempt + 1;
          s.timer = clock.setTimer(restartInMs, () => this.launch(s));
        }
        onEvent({ type: 'exited', unit: s.unit, pid, code, signal, restartInMs });
        done();
      },
    );
    s.child = child;
    onEvent({ type: 'started', unit: s.unit, pid: child.pid, restart: s.restarts++ });
  }
}

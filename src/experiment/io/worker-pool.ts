import { fork, type ChildProcess } from 'node:child_process';

/** What a worker process sends back for one task. */
export type WorkerReply<R> = { id: number; ok: true; result: R } | { id: number; ok: false; error: string };

/** How a task ended, as the pool reports it (a crash or a timeout becomes an error). */
export type PoolOutcome<R> = { ok: true; result: R; wallMs: number } | { ok: false; error: string; wallMs: number };

export interface PoolOptions<T, R> {
  /** Module run in each worker process (forked with this process's Node flags, so it works under tsx and from dist). */
  entry: string;
  tasks: readonly T[];
  /** At most this many worker processes at once. */
  workers: number;
  /** A task still running after this long is stopped (its worker killed) and recorded as failed. */
  wallLimitMs?: number;
  /** Called as each task ends, in completion order. */
  onDone?(index: number, outcome: PoolOutcome<R>): void;
  /** Called when a task starts. */
  onStart?(index: number): void;
}

const TAIL = 20;

/**
 * Runs tasks in worker processes, each worker one task at a time; a worker that dies or
 * overruns is replaced and its task recorded as failed, so one bad run never ends the
 * rest. Returns the outcomes in task order.
 */
export async function runPool<T, R>(opts: PoolOptions<T, R>): Promise<Array<PoolOutcome<R>>> {
  const outcomes: Array<PoolOutcome<R> | undefined> = new Array(opts.tasks.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    let worker: Worker<R> | undefined;
    try {
      while (next < opts.tasks.length) {
        const id = next++;
        worker ??= new Worker<R>(opts.entry);
        opts.onStart?.(id);
        const started = Date.now();
        const reply = await worker.run(id, opts.tasks[id], opts.wallLimitMs);
        const wallMs = Date.now() - started;
        const outcome: PoolOutcome<R> = reply.ok ? { ok: true, result: reply.result, wallMs } : { ok: false, error: reply.error, wallMs };
        // A failed run may leave a broker or timers behind: the next task gets a fresh process.
        if (!reply.ok) worker.close();
        if (!worker.alive) worker = undefined;
        outcomes[id] = outcome;
        opts.onDone?.(id, outcome);
      }
    } finally {
      worker?.close();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.workers, opts.tasks.length)) }, lane));
  return outcomes as Array<PoolOutcome<R>>;
}

/** One worker process and the task it is running. */
class Worker<R> {
  private readonly child: ChildProcess;
  private readonly tail: string[] = [];
  alive = true;
  private pending: ((reply: WorkerReply<R>) => void) | undefined;

  constructor(entry: string) {
    this.child = fork(entry, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' });
    const keep = (d: Buffer): void => {
      for (const line of d.toString().split('\n')) if (line.trim()) this.tail.push(line);
      this.tail.splice(0, Math.max(0, this.tail.length - TAIL));
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.child.on('message', (m) => {
      const reply = m as WorkerReply<R>;
      const p = this.pending;
      this.pending = undefined;
      p?.(reply);
    });
    // 'close', not 'exit': by then its output has been read, so the error can quote it.
    this.child.on('close', (code, signal) => {
      this.alive = false;
      const p = this.pending;
      this.pending = undefined;
      p?.({ id: -1, ok: false, error: `the worker process ended (${signal ?? `exit code ${code}`}) during the run${this.tail.length ? `; its last output:\n${this.tail.join('\n')}` : ''}` });
    });
  }

  run(id: number, task: unknown, wallLimitMs?: number): Promise<WorkerReply<R>> {
    if (!this.alive) return Promise.resolve({ id, ok: false, error: 'the worker process had already ended' });
    return new Promise((resolve) => {
      const timer =
        wallLimitMs !== undefined
          ? setTimeout(() => {
              this.pending = undefined;
              this.close(true);
              resolve({ id, ok: false, error: `still running after the wall-clock limit (${Math.round(wallLimitMs / 1000)} s); stopped. Raise wall_limit in the experiment file if runs need longer` });
            }, wallLimitMs)
          : undefined;
      this.pending = (reply) => {
        if (timer) clearTimeout(timer);
        resolve({ ...reply, id });
      };
      this.child.send({ id, task });
    });
  }

  /** Lets the worker exit (it ends when its IPC channel closes), or kills it when it is stuck. */
  close(kill = false): void {
    if (!this.alive) return;
    this.alive = false;
    if (kill) this.child.kill('SIGKILL');
    else if (this.child.connected) this.child.disconnect();
  }
}

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPool, type PoolOutcome } from '../../../src/experiment/io/worker-pool.js';

const entry = fileURLToPath(new URL('./fixtures/pool-worker.mjs', import.meta.url));
type Task = { do: 'ok' | 'throw' | 'crash' | 'hang'; value: number };
type Result = { value: number; pid: number };

describe('worker pool', () => {
  it('runs every task, in parallel processes, and returns outcomes in task order', async () => {
    const tasks: Task[] = Array.from({ length: 6 }, (_, i) => ({ do: 'ok', value: i }));
    let running = 0;
    let most = 0;
    const out = await runPool<Task, Result>({
      entry,
      tasks,
      workers: 2,
      onStart: () => (most = Math.max(most, ++running)),
      onDone: () => running--,
    });
    expect(out.map((o) => (o.ok ? o.result.value : -1))).toEqual([0, 2, 4, 6, 8, 10]);
    expect(new Set(out.map((o) => (o as { result: Result }).result.pid)).size).toBe(2);
    expect(most).toBe(2);
  });

  it('a run that fails, a worker that dies and a run that hangs are recorded; the rest still run', async () => {
    const tasks: Task[] = [
      { do: 'ok', value: 1 },
      { do: 'throw', value: 2 },
      { do: 'crash', value: 3 },
      { do: 'ok', value: 4 },
      { do: 'hang', value: 5 },
      { do: 'ok', value: 6 },
    ];
    const out: Array<PoolOutcome<Result>> = await runPool<Task, Result>({ entry, tasks, workers: 1, wallLimitMs: 1500 });
    expect(out[0]).toMatchObject({ ok: true, result: { value: 2 } });
    expect(out[1]).toMatchObject({ ok: false, error: 'bad input 2' });
    expect(out[2].ok).toBe(false);
    expect((out[2] as { error: string }).error).toMatch(/ended \(exit code 3\)[\s\S]*about to crash/);
    expect(out[3]).toMatchObject({ ok: true, result: { value: 8 } });
    expect((out[4] as { error: string }).error).toMatch(/wall-clock limit/);
    expect(out[5]).toMatchObject({ ok: true, result: { value: 12 } });
  });
});

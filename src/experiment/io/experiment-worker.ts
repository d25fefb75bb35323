import { runOne, type RunReply, type RunRequest } from './run-one.js';
import type { WorkerReply } from './worker-pool.js';

// The worker process: one request at a time over IPC, until the parent disconnects.
if (process.send) {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (m: { id: number; task: RunRequest }) => {
    runOne(m.task).then(
      (result) => process.send!({ id: m.id, ok: true, result } satisfies WorkerReply<RunReply>),
      (err: unknown) => process.send!({ id: m.id, ok: false, error: errorText(err) } satisfies WorkerReply<RunReply>),
    );
  });
}

function errorText(err: unknown): string {
  const e = err as { report?: () => string; message?: string };
  return typeof e.report === 'function' ? e.report() : (e.message ?? String(err));
}

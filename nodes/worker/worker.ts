import { z } from 'zod';
import { defineNodeKind } from '../../src/node/node-kind.js';

/**
 * A leaf that performs timed jobs: the smallest useful node kind, and the one the
 * README walks through. `work` takes `seconds`; progress rises with time; a job can be
 * made to fail with `fail: true` (for trying out failure handling upstream).
 */
export const workerKind = defineNodeKind({
  kind: 'worker',
  description: 'Leaf node: performs timed jobs and reports progress (demo and tests).',
  params: z.object({
    /** Jobs longer than this are refused (s). */
    max_seconds: z.number().positive().default(3600),
  }),
  verbs: {
    work: z.object({ seconds: z.number().nonnegative(), fail: z.boolean().default(false) }).strict(),
  },
  world: () => ({ jobsDone: 0, lastTaskId: '' }),
  create: (ctx) => {
    // Sensations only when they change: a leaf that reports every cycle floods its parent.
    let lastSense = '';
    const sense = (values: { busy: boolean; jobs_done: number }) => {
      const key = JSON.stringify(values);
      if (key === lastSense) return undefined;
      lastSense = key;
      return values;
    };
    return {
      accept: (task) => (task.args.seconds > ctx.params.max_seconds ? `job of ${task.args.seconds}s is longer than max_seconds (${ctx.params.max_seconds}s)` : undefined),
      behave: (world, _scores, input) => {
        const task = input.task;
        if (!task) return { sense: sense({ busy: false, jobs_done: world.jobsDone }) };
        const elapsed = (input.now - task.receivedAt) / 1000;
        const progress = task.args.seconds === 0 ? 1 : Math.min(1, elapsed / task.args.seconds);
        if (progress < 1) return { status: { state: 'executing', progress }, sense: sense({ busy: true, jobs_done: world.jobsDone }) };
        if (world.lastTaskId !== task.id) {
          world.lastTaskId = task.id;
          world.jobsDone++;
        }
        if (task.args.fail) return { status: { state: 'failed', reason: 'job failed (asked to by fail: true)' } };
        return { status: { state: 'done', progress: 1 }, sense: sense({ busy: false, jobs_done: world.jobsDone }) };
      },
    };
  },
});
export default workerKind;

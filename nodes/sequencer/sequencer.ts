import { z } from 'zod';
import { defineNodeKind, type ChildCommand } from '../../src/node/node-kind.js';
import type { PlanStep } from '../../src/contracts/status.js';

const stepSchema = z
  .object({
    child: z.string().min(1),
    verb: z.string().min(1),
    args: z.record(z.string(), z.unknown()).default({}),
    label: z.string().optional(),
  })
  .strict();

/**
 * Runs a fixed plan: steps, each a command to one child, one after another. A failed
 * step is retried (with a new command id) up to `retries` times, then the whole task
 * fails upward with the step's reason. The plan is published in the status.
 */
export const sequencerKind = defineNodeKind({
  kind: 'sequencer',
  description: 'Runs a list of steps, each a command to a child, in order; retries, then fails upward.',
  params: z.object({
    steps: z.array(stepSchema).default([]),
    retries: z.number().int().nonnegative().default(1),
  }),
  verbs: {
    run: z.object({ steps: z.array(stepSchema).optional() }).strict(),
  },
  create: (ctx) => {
    interface State {
      taskId: string;
      index: number;
      attempt: number;
      failures: number;
      states: PlanStep['state'][];
      /** Why the current step is being retried, shown in the status until it moves on. */
      note: string;
    }
    let st: State | undefined;
    return {
      behave: (_w, _s, input) => {
        const task = input.task;
        if (!task) return {};
        const steps = task.args.steps ?? ctx.params.steps;
        if (!st || st.taskId !== task.id) st = { taskId: task.id, index: 0, attempt: 0, failures: 0, states: steps.map(() => 'pending'), note: '' };
        const plan = () => ({ steps: steps.map((s, i) => ({ id: `${i}`, label: s.label ?? `${s.verb} on ${s.child}`, state: st!.states[i], child: s.child })) });
        for (;;) {
          if (st.index >= steps.length) return { status: { state: 'done', progress: 1, plan: plan() } };
          const step = steps[st.index];
          if (!ctx.children.includes(step.child)) {
            return { status: { state: 'failed', reason: `step ${st.index} names "${step.child}", not a child of ${ctx.id} (children: ${ctx.children.join(', ')})`, plan: plan() } };
          }
          const id = `${task.id}.${st.index}.${st.attempt}`;
          const cmd = input.children[step.child]?.command;
          if (cmd?.id === id && cmd.state === 'done') {
            st.states[st.index] = 'done';
            st.index++;
            st.attempt = 0;
            st.note = '';
            continue;
          }
          if (cmd?.id === id && (cmd.state === 'failed' || cmd.state === 'aborted' || cmd.state === 'rejected')) {
            if (st.attempt < ctx.params.retries && cmd.state !== 'rejected') {
              st.attempt++;
              st.note = `step ${st.index} (${step.verb} on ${step.child}) ${cmd.state}: ${cmd.reason}; retrying (${st.attempt}/${ctx.params.retries})`;
              ctx.log.info(st.note);
              continue;
            }
            st.states[st.index] = 'failed';
            return { status: { state: 'failed', reason: `step ${st.index} (${step.verb} on ${step.child}) ${cmd.state}: ${cmd.reason}`, plan: plan() } };
          }
          st.states[st.index] = 'active';
          const commands: Record<string, ChildCommand> = { [step.child]: { id, verb: step.verb, args: step.args } };
          const childProgress = cmd?.id === id ? cmd.progress : 0;
          return { commands, status: { state: 'executing', progress: (st.index + childProgress) / Math.max(1, steps.length), reason: st.note, plan: plan() } };
        }
      },
    };
  },
});
export default sequencerKind;

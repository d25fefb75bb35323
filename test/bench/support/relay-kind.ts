import { z } from 'zod';
import { defineNodeKind } from '../../../src/node/node-kind.js';

/** Forwards its task to its one child at once and is done when the child is; a leaf is done at once. */
export const relayKind = defineNodeKind({
  kind: 'relay',
  description: 'bench: passes a command straight down and the outcome straight up',
  params: z.object({}),
  verbs: { go: z.object({}).strict() },
  create: (ctx) => ({
    behave: (_w, _s, input) => {
      const task = input.task;
      if (!task) return {};
      const child = ctx.children[0];
      if (child === undefined) return { status: { state: 'done' } };
      const c = input.children[child]?.command;
      if (c?.id === task.id && c.state === 'done') return { status: { state: 'done' } };
      return { commands: { [child]: { id: task.id, verb: 'go' } }, status: { state: 'executing' } };
    },
  }),
});

import { z } from 'zod';
import { idSchema } from '../contracts/ids.js';
import { durationSchema } from './duration.js';

/** One node of the tree. */
export const nodeConfigSchema = z
  .object({
    id: idSchema,
    kind: z.string().min(1, 'name the node kind, e.g. "reflex"'),
    parent: idSchema.optional().describe('the parent node id; omit for the root'),
    level: z.number().int().nonnegative().optional().describe('RCS level; default: height above the leaves (leaves are 0)'),
    period: durationSchema.describe('cycle period, e.g. 10ms, 1s'),
    horizon: durationSchema.optional().describe('planning horizon (default: 10 periods)'),
    replan: durationSchema.optional().describe('re-plan interval (default: a tenth of the horizon)'),
    heartbeat: durationSchema.optional().describe('health interval (default: 1s, or the period when slower)'),
    on_parent_lost: z
      .enum(['stop', 'continue'])
      .default('stop')
      .describe('when the parent goes offline: stop the current command (safe; the parent re-issues when back) or carry on with it'),
    params: z.record(z.string(), z.unknown()).default({}),
    description: z.string().optional(),
  })
  .strict();

/** What the operator commands the root with when the tree starts (optional). */
export const startCommandSchema = z
  .object({
    id: z.string().default('mission-1'),
    verb: z.string(),
    args: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const treeConfigSchema = z
  .object({
    tree: idSchema.describe('tree id: the second level of every topic, strata/<tree>/...'),
    description: z.string().optional(),
    seed: z.union([z.number(), z.string()]).default(1),
    time: z
      .object({
        mode: z.enum(['virtual', 'real']).default('virtual'),
        /** Stop after this much (virtual or real) time. */
        duration: durationSchema.optional(),
      })
      .strict()
      .default({ mode: 'virtual' }),
    broker: z
      .object({
        port: z.number().int().min(0).max(65535).default(1883),
        url: z.string().optional().describe('join this broker instead of starting the embedded one'),
        username: z.string().optional(),
        password: z.string().optional(),
      })
      .strict()
      .default({ port: 1883 }),
    max_payload: z.number().int().positive().default(256 * 1024),
    /** Extra node kinds: name → module path (relative to this file) whose default export is the kind. */
    kinds: z.record(z.string(), z.string()).default({}),
    start: startCommandSchema.optional(),
    nodes: z.array(nodeConfigSchema).min(1, 'a tree needs at least one node'),
  })
  .strict();

export type TreeConfigInput = z.input<typeof treeConfigSchema>;
export type TreeConfig = z.output<typeof treeConfigSchema>;
export type NodeConfig = z.output<typeof nodeConfigSchema>;

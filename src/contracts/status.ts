import { z } from 'zod';
import { idSchema, jsonSchema, versionSchema } from './ids.js';

export const commandStates = ['received', 'executing', 'done', 'failed', 'aborted', 'rejected'] as const;
export type CommandState = (typeof commandStates)[number];
export const terminalStates: ReadonlySet<CommandState> = new Set(['done', 'failed', 'aborted', 'rejected']);
export const isTerminal = (s: CommandState): boolean => terminalStates.has(s);

/** One step of a node's current plan, as shown to people and viewers. */
export const planStepSchema = z.object({
  id: z.string(),
  label: z.string(),
  state: z.enum(['pending', 'active', 'done', 'failed', 'skipped']),
  child: z.string().optional(),
});

/** The node's current plan: published inside its retained status so a viewer can draw it. */
export const planSchema = z.object({
  steps: z.array(planStepSchema),
  /** Value-judgment scores behind the choice of this plan, by objective or alternative. */
  scores: z.record(z.string(), z.number()).optional(),
  made_at: z.number().optional(),
  reason: z.string().optional(),
});

/**
 * Status of the node's current command, node → parent on `strata/<tree>/<node>/status`
 * (retained). Echoes the command's id and serial.
 */
export const statusSchema = z
  .object({
    v: versionSchema,
    node: idSchema,
    id: z.string(),
    serial: z.number().int().nonnegative(),
    state: z.enum(commandStates),
    progress: z.number().min(0).max(1).default(0),
    reason: z.string().default(''),
    t: z.number(),
    plan: planSchema.optional(),
    /** Kind-specific detail (e.g. which behavior owns each output). */
    detail: z.record(z.string(), jsonSchema).optional(),
  })
  .strict();

export type Status = z.output<typeof statusSchema>;
export type Plan = z.output<typeof planSchema>;
export type PlanStep = z.output<typeof planStepSchema>;

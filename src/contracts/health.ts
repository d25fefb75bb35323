import { z } from 'zod';
import { idSchema, jsonSchema, versionSchema } from './ids.js';

/** Heartbeat with cycle statistics, node → anyone on `strata/<tree>/<node>/health`. */
export const healthSchema = z
  .object({
    v: versionSchema,
    node: idSchema,
    t: z.number(),
    session: z.number().int().nonnegative(),
    period_ms: z.number().nonnegative(),
    cycles: z.number().int().nonnegative(),
    /** Cycles that took longer than the period ("slips" in RCS). */
    overruns: z.number().int().nonnegative(),
    /** Execution time of one cycle, ms (wall time spent computing). */
    exec_ms: z.object({ last: z.number(), mean: z.number(), max: z.number() }),
    /** How late cycles started against their schedule, ms (real time only). */
    late_ms: z.object({ last: z.number(), max: z.number() }).optional(),
    /** Cycles skipped because the node fell behind (real time only). */
    missed: z.number().int().nonnegative().default(0),
    /** Inputs rejected since start (malformed, oversized, unknown), by reason kind. */
    rejected: z.number().int().nonnegative(),
    /** Duplicated commands recognised by serial and not executed again. */
    duplicates: z.number().int().nonnegative().default(0),
    /** Current command, if any. */
    command: z.object({ id: z.string(), serial: z.number(), verb: z.string(), state: z.string() }).nullable(),
    /** Kind-specific health: plan age, planning time over budget, output owners, device faults... */
    detail: z.record(z.string(), jsonSchema).optional(),
  })
  .strict();

export type Health = z.output<typeof healthSchema>;

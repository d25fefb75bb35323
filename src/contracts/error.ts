import { z } from 'zod';
import { idSchema, versionSchema } from './ids.js';

/** An input the node rejected, node → anyone on `strata/<tree>/<node>/error`. */
export const errorSchema = z
  .object({
    v: versionSchema,
    node: idSchema,
    t: z.number(),
    /** The topic the bad input came on. */
    topic: z.string(),
    /** What was wrong, in words, naming the field. */
    reason: z.string(),
    /** Each schema problem: path in the payload and message. */
    issues: z.array(z.object({ path: z.string(), message: z.string() })).default([]),
    /** Start of the offending payload, for people reading the log. */
    sample: z.string().optional(),
  })
  .strict();

export type ErrorMessage = z.output<typeof errorSchema>;

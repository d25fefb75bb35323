import { z } from 'zod';
import { idSchema, jsonSchema, versionSchema } from './ids.js';

/**
 * Sensations, node → parent on `strata/<tree>/<node>/sense`, at the node's own level of
 * abstraction. `seq` increases by one with every message a node sends in one session,
 * so a consumer can see gaps (as Sparkplug B's sequence numbers).
 */
export const senseSchema = z
  .object({
    v: versionSchema,
    node: idSchema,
    t: z.number(),
    seq: z.number().int().nonnegative(),
    /** Named values; for a device node (level 0), one per input point. */
    values: z.record(z.string(), jsonSchema),
  })
  .strict();

export type Sense = z.output<typeof senseSchema>;

import { z } from 'zod';
import { idSchema, versionSchema } from './ids.js';
import { pointSchema } from './device.js';

/**
 * Birth and death, node → anyone on `strata/<tree>/<node>/state` (retained). `online`
 * is published on start with the birth fields; `offline` by the MQTT last will when
 * the connection is lost, and by the node itself on a clean shutdown.
 */
export const stateSchema = z
  .object({
    v: versionSchema,
    node: idSchema,
    state: z.enum(['online', 'offline']),
    /** Changes every time the node starts; a parent seeing a new session resyncs. */
    session: z.number().int().nonnegative(),
    t: z.number().optional(),
    kind: z.string().optional(),
    level: z.number().int().nonnegative().optional(),
    parent: idSchema.nullable().optional(),
    children: z.array(idSchema).optional(),
    period_ms: z.number().nonnegative().optional(),
    /** Planning horizon and re-plan interval (ms), from the node's timing contract. */
    horizon_ms: z.number().nonnegative().optional(),
    replan_ms: z.number().nonnegative().optional(),
    /** Verbs the node accepts. */
    verbs: z.array(z.string()).optional(),
    /** For device nodes: the I/O points and their metadata (Sparkplug-style birth). */
    points: z.array(pointSchema).optional(),
    /** Why the node is offline. */
    reason: z.string().optional(),
  })
  .strict();

export type NodeState = z.output<typeof stateSchema>;

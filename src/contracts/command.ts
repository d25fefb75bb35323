import { z } from 'zod';
import { idSchema, versionSchema } from './ids.js';

/** The verb that stops the node's current command (or the one named by `target`). */
export const ABORT_VERB = 'abort';

/**
 * A command, parent (or operator) → node, on `strata/<tree>/<node>/cmd`.
 *
 * `id` names the task; `serial` increases with every command a sender sends (RCS
 * command serial numbers). A command with a new `id` preempts the running one, which
 * ends `aborted`. The same `id` with a higher serial updates the running task's
 * arguments. A serial not above the last one seen from the same sender and session is
 * a duplicate (a QoS 1 redelivery) and is not executed again.
 */
export const commandSchema = z
  .object({
    v: versionSchema,
    id: z.string().min(1, 'give the command an id, e.g. "goto-1"').max(128),
    serial: z.number().int('serial must be a whole number').nonnegative('serial must be 0 or more'),
    verb: z.string().min(1, 'name the verb, e.g. "goto" or "abort"').max(64),
    args: z.record(z.string(), z.unknown()).default({}),
    /** Who sent it: the parent's id, or "operator" for people and tools. */
    from: idSchema.default('operator'),
    /** The sender's session (from its birth); serials are compared within one session. */
    session: z.number().int().nonnegative().default(0),
    /** Sender's clock when sent (ms). Informational. */
    t: z.number().optional(),
    /** For `abort`: the id of the command to stop (default: the current one). */
    target: z.string().optional(),
  })
  .strict();

export type Command = z.output<typeof commandSchema>;
export type CommandInput = z.input<typeof commandSchema>;

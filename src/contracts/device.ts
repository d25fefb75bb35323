import { z } from 'zod';
import { idSchema } from './ids.js';

/**
 * An I/O point of a device node (level 0: a hardware gateway or the simulator). Both
 * speak the same contract, so a tree runs against either. Inputs are published in
 * `sense.values[name]`; outputs are set by a `write` command with `args.values[name]`.
 */
export const pointSchema = z
  .object({
    name: idSchema,
    direction: z.enum(['in', 'out']),
    type: z.enum(['bool', 'number', 'enum', 'number[]']),
    units: z.string().default(''),
    /** Engineering range (after scaling); writes outside it are rejected, never clamped. */
    min: z.number().optional(),
    max: z.number().optional(),
    /** Values an enum point may take. */
    values: z.array(z.string()).optional(),
    /** Raw = (engineering - offset) / scale, for adapters that talk raw counts. */
    scale: z.number().default(1),
    offset: z.number().default(0),
    /** Sample rate for inputs (Hz). */
    rate_hz: z.number().positive().optional(),
    /** Value an output takes on start, on watchdog expiry and on loss of the broker. */
    safe: z.union([z.number(), z.boolean(), z.string()]).optional(),
    description: z.string().optional(),
  })
  .strict();

export type Point = z.output<typeof pointSchema>;
export type PointInput = z.input<typeof pointSchema>;

/** The verb that sets device outputs. */
export const WRITE_VERB = 'write';
/** The verb that asks a device node to publish its birth again (Sparkplug's rebirth). */
export const REBIRTH_VERB = 'rebirth';

export const writeArgsSchema = z
  .object({ values: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])) })
  .strict();
export type WriteArgs = z.output<typeof writeArgsSchema>;

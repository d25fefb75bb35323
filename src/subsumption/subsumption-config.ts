import { z } from 'zod';
import { idSchema } from '../contracts/ids.js';

const outputValueSchema = z.union([z.number(), z.boolean(), z.string()]);

/** An output wire (an actuator input): its value when nothing drives it, or when it is inhibited. */
export const outputConfigSchema = z
  .object({
    /** The safe value: used when no behavior asserts the output or when it is inhibited. */
    default: outputValueSchema,
    description: z.string().optional(),
  })
  .strict();

/** One behavior instance: a type from the registry, its layer (higher = more important) and params. */
export const behaviorConfigSchema = z
  .object({
    id: idSchema,
    type: z.string().min(1),
    /** Layer: breaks ties when two suppressors of one wire assert at once (higher wins), and documents the stack. */
    layer: z.number().int(),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

/**
 * One wire junction (Brooks's suppressor / inhibitor node). `suppress`: while `from`
 * asserts, its value replaces the target's on the target's wire. `inhibit`: while `from`
 * asserts, the target's wire carries nothing (the output falls to what is below, or to its
 * safe default). `outputs` defaults to every output both behaviors drive.
 */
export const wireConfigSchema = z
  .object({
    from: idSchema,
    suppress: idSchema.optional(),
    inhibit: idSchema.optional(),
    outputs: z.array(idSchema).min(1).optional(),
  })
  .strict()
  .refine((w) => (w.suppress === undefined) !== (w.inhibit === undefined), {
    message: 'give exactly one of "suppress" or "inhibit" (the behavior whose output "from" overrides)',
  });

/** The subsumption block of a config: outputs, behaviors and how their wires join. */
export const subsumptionConfigSchema = z
  .object({
    outputs: z.record(idSchema, outputConfigSchema),
    behaviors: z.array(behaviorConfigSchema).min(1, 'list at least one behavior'),
    wiring: z.array(wireConfigSchema).default([]),
  })
  .strict();

export type SubsumptionConfig = z.output<typeof subsumptionConfigSchema>;
export type SubsumptionConfigInput = z.input<typeof subsumptionConfigSchema>;
export type BehaviorConfig = z.output<typeof behaviorConfigSchema>;
export type WireConfig = z.output<typeof wireConfigSchema>;

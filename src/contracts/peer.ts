import { z } from 'zod';
import { idSchema, jsonSchema, versionSchema } from './ids.js';

/** A message between siblings, on `strata/<tree>/<to>/peer/<from>`. */
export const peerSchema = z
  .object({
    v: versionSchema,
    from: idSchema,
    t: z.number(),
    kind: z.string().min(1),
    body: jsonSchema,
  })
  .strict();

export type PeerMessage = z.output<typeof peerSchema>;

import { z } from 'zod';

/** Tree and node ids are MQTT topic levels: letters, digits, `_` and `-` only (no `+`, `#`, `/`). */
export const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

export const idSchema = z
  .string()
  .min(1, 'an id cannot be empty')
  .max(64, 'ids are at most 64 characters')
  .regex(ID_PATTERN, 'use only letters, digits, "_" and "-" (ids are MQTT topic levels, so "+", "#" and "/" are not allowed)');

/** Version of every payload on the wire. A receiver rejects versions it does not know. */
export const PROTOCOL_VERSION = 1 as const;
export const versionSchema = z.literal(PROTOCOL_VERSION, {
  error: `"v" must be ${PROTOCOL_VERSION} (the strata protocol version); add "v":${PROTOCOL_VERSION} to the payload`,
});

/** A JSON value, for command arguments and sensations defined by node kinds. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export const jsonSchema: z.ZodType<Json> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(jsonSchema), z.record(z.string(), jsonSchema)]),
);

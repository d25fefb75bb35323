import type { z } from 'zod';
import type { ErrorMessage } from '../contracts/error.js';
import { safeParseFast } from './fast-validator.js';

/** Default largest payload a node accepts (DESIGN: 256 KiB). */
export const DEFAULT_MAX_PAYLOAD = 256 * 1024;

export interface SchemaIssue {
  path: string;
  message: string;
}

export type Decoded<T> =
  | { ok: true; value: T }
  | { ok: false; reason: string; issues: SchemaIssue[]; sample: string };

/** Formats zod issues as `path: message` pairs a person can act on. */
export function describeIssues(error: z.ZodError): SchemaIssue[] {
  return error.issues.map((i) => ({
    path: i.path.length === 0 ? '(payload)' : i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '['),
    message: i.message,
  }));
}

const sampleOf = (text: string): string => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

/**
 * Turns a raw MQTT payload into a validated message, or a rejection that says why.
 * Never throws: bad input is data, not an exception.
 */
export function decodePayload<S extends z.ZodType>(schema: S, payload: Uint8Array, maxBytes = DEFAULT_MAX_PAYLOAD): Decoded<z.output<S>> {
  if (payload.byteLength > maxBytes) {
    return {
      ok: false,
      reason: `payload is ${payload.byteLength} bytes, over the ${maxBytes}-byte limit; send less (or raise max_payload in the config)`,
      issues: [],
      sample: '',
    };
  }
  const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `payload is not JSON (${(err as Error).message}); send a UTF-8 JSON object`, issues: [], sample: sampleOf(text) };
  }
  // Hot path: the schema's compiled form; anything it does not accept goes through zod,
  // which decides and explains.
  const parsed = safeParseFast(schema, json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = describeIssues(parsed.error);
  const first = issues[0];
  return {
    ok: false,
    reason: first ? `${first.path}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}` : 'payload does not match its schema',
    issues,
    sample: sampleOf(text),
  };
}

/** Encodes a payload for the wire. */
export function encodePayload(value: unknown): string {
  return JSON.stringify(value);
}

/** Builds the `error` message for a rejected input. */
export function rejection(node: string, t: number, topicName: string, d: Extract<Decoded<unknown>, { ok: false }>): ErrorMessage {
  return { v: 1, node, t, topic: topicName, reason: d.reason, issues: d.issues, sample: d.sample || undefined };
}

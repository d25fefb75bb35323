import { z } from 'zod';
import { jsonValueEntry, schemaEntries, type SchemaEntry } from './channel-contracts.js';

/** A JSON Schema document, as plain data. */
export type JsonSchemaDocument = Record<string, unknown>;

/**
 * The JSON Schema (draft 2020-12) of one entry, self-contained (shared parts under
 * `$defs`). It describes the input side: what a receiver accepts, so fields with a
 * default are optional and durations are `number | string` (before parsing to ms).
 */
export function jsonSchemaOf(entry: SchemaEntry): JsonSchemaDocument {
  const body = z.toJSONSchema(entry.schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchemaDocument;
  const { $schema, ...rest } = body;
  return { $schema, title: entry.title, description: entry.description, ...rest };
}

/** Every exported schema by name (command, status, …, tree-config). */
export function allJsonSchemas(): Map<string, JsonSchemaDocument> {
  return new Map(schemaEntries.map((e) => [e.name, jsonSchemaOf(e)]));
}

/** JSON Schema of one entry by name; throws naming the known ones. */
export function jsonSchemaNamed(name: string): JsonSchemaDocument {
  const entry = schemaEntries.find((e) => e.name === name);
  if (!entry) throw new Error(`no schema named "${name}"; known: ${schemaEntries.map((e) => e.name).join(', ')}`);
  return jsonSchemaOf(entry);
}

/**
 * The wire schemas as components of one document: each references the others (and the
 * shared JSON value) under `refBase`, e.g. `#/components/schemas/`. Draft-07 shape,
 * which AsyncAPI 3's default schema format is a superset of.
 */
export function componentSchemas(refBase: string, entries: readonly SchemaEntry[] = schemaEntries): Record<string, JsonSchemaDocument> {
  const registry = z.registry<{ id: string; title?: string; description?: string }>();
  for (const e of [jsonValueEntry, ...entries]) registry.add(e.schema, { id: e.name, title: e.title, description: e.description });
  const out = z.toJSONSchema(registry, { target: 'draft-7', io: 'input', unrepresentable: 'any', uri: (id) => `${refBase}${id}` });
  const result: Record<string, JsonSchemaDocument> = {};
  for (const [name, schema] of Object.entries(out.schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as JsonSchemaDocument;
    result[name] = rest;
  }
  return result;
}

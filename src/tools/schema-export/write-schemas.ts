import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ResolvedTree } from '../../config/resolve-tree.js';
import { asyncApiDocument } from './asyncapi-document.js';
import { allJsonSchemas } from './json-schemas.js';

/**
 * Writes `<name>.schema.json` for every contract into `outDir`, and, given a tree,
 * `<tree>.asyncapi.json` describing its topics. Returns the files written.
 */
export function writeSchemas(outDir: string, tree?: ResolvedTree): string[] {
  const dir = resolve(outDir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new Error(`cannot create the output folder "${dir}": ${(err as Error).message}; choose another with --out`);
  }
  const files: string[] = [];
  const put = (name: string, value: unknown): void => {
    const file = join(dir, name);
    writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
    files.push(file);
  };
  for (const [name, schema] of allJsonSchemas()) put(`${name}.schema.json`, schema);
  if (tree) put(`${tree.config.tree}.asyncapi.json`, asyncApiDocument(tree));
  return files;
}

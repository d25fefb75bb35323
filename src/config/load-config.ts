import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyNodeKind } from '../node/node-kind.js';
import { ConfigError, parseYamlWithPositions, type ConfigProblem } from './config-problem.js';
import { treeConfigSchema, type TreeConfig } from './config-schema.js';
import { resolveTree, type KindRegistry, type ResolvedTree } from './resolve-tree.js';

/** Edits applied to the raw config before validation (CLI flags, experiment parameters). */
export type ConfigOverride = (raw: Record<string, unknown>) => void;

/**
 * Reads, validates and resolves a tree config. Throws {@link ConfigError} listing every
 * problem with its `file:line:col` and a hint; nothing starts from an invalid config.
 */
export async function loadConfig(file: string, builtins: KindRegistry, overrides: ConfigOverride[] = []): Promise<ResolvedTree> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [{ path: [], message: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, hint: 'check the path' }]);
  }
  return parseConfigText(text, file, builtins, overrides);
}

/** As {@link loadConfig}, from text already in memory. */
export async function parseConfigText(text: string, file: string, builtins: KindRegistry, overrides: ConfigOverride[] = []): Promise<ResolvedTree> {
  const { doc, locate } = parseYamlWithPositions(text);
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ path: [], message: `YAML syntax: ${e.message.split('\n')[0]}`, hint: `line ${e.linePos?.[0].line ?? '?'}` })),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (err) {
    // e.g. an alias to an anchor that does not exist (`*x`)
    throw new ConfigError(file, [{ path: [], message: `YAML: ${(err as Error).message}`, hint: 'check every alias (*name) refers to an anchor (&name) defined before it' }]);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, [{ path: [], message: 'the config must be a YAML mapping with "tree" and "nodes"', hint: 'see configs/demo.yaml' }]);
  }
  for (const o of overrides) o(raw as Record<string, unknown>);
  const parsed = treeConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems: ConfigProblem[] = parsed.error.issues.map((i) => ({
      path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      message: i.message,
      hint: hintFor(i.code, i.path),
    }));
    throw new ConfigError(file, problems, locate);
  }
  const kinds = await withDeclaredKinds(parsed.data, file, builtins);
  const { tree, problems } = resolveTree(parsed.data, kinds.registry, dirname(resolve(file)));
  const all = [...kinds.problems, ...problems];
  if (!tree || all.length > 0) throw new ConfigError(file, all, locate);
  return tree;
}

function hintFor(code: string, path: PropertyKey[]): string | undefined {
  if (code === 'unrecognized_keys') return 'remove it, or check its spelling against the schema (strata schema --out dir)';
  if (path.at(-1) === 'period') return 'e.g. period: 100ms';
  return undefined;
}

async function withDeclaredKinds(config: TreeConfig, file: string, builtins: KindRegistry): Promise<{ registry: KindRegistry; problems: ConfigProblem[] }> {
  const registry = new Map(builtins);
  const problems: ConfigProblem[] = [];
  for (const [name, modPath] of Object.entries(config.kinds)) {
    const abs = resolve(dirname(file), modPath);
    try {
      const mod = (await import(pathToFileURL(abs).href)) as { default?: AnyNodeKind };
      const kind = mod.default;
      if (!kind || typeof kind.create !== 'function') {
        problems.push({ path: ['kinds', name], message: `${modPath} has no default export made with defineNodeKind()`, hint: 'export default defineNodeKind({ ... })' });
        continue;
      }
      registry.set(name, kind);
    } catch (err) {
      problems.push({ path: ['kinds', name], message: `cannot load ${modPath}: ${(err as Error).message}`, hint: 'the path is relative to the config file; it must be a JavaScript module (.js/.mjs)' });
    }
  }
  return { registry, problems };
}

import type { ConfigOverride } from '../config/load-config.js';
import type { SweepValue } from './experiment-schema.js';

/**
 * Default params of a node kind, fully materialised (the kind's schema applied to the
 * node's params), so a path into a block the config leaves to its default (the reflex's
 * `subsumption`) can be written.
 */
export type KindDefaults = (kind: string, params: Record<string, unknown>) => Record<string, unknown> | undefined;

/** One edit: a dotted path into the raw config and the value it gets. */
export interface Assignment {
  path: string;
  value: SweepValue;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Finds a list item by its `id` (nodes, behaviors); an index only for lists whose items have no ids. */
function listItem(list: unknown[], key: string, where: string): Record<string, unknown> {
  const byId = list.find((x) => isObject(x) && x.id === key);
  if (byId) return byId as Record<string, unknown>;
  const hasIds = list.some((x) => isObject(x) && typeof x.id === 'string');
  if (!hasIds && /^\d+$/.test(key) && isObject(list[Number(key)])) return list[Number(key)] as Record<string, unknown>;
  const ids = list.filter(isObject).map((x) => x.id).filter((x) => typeof x === 'string');
  throw new Error(`${where}: no item with id "${key}" in this list${ids.length ? `; ids: ${ids.join(', ')}` : `; its items have no ids, address them by index 0..${list.length - 1}`}`);
}

/**
 * Sets `path` (e.g. `nodes.reflex.params.subsumption.behaviors.avoid.params.avoid_m`) in a
 * raw config to `value`. List items are addressed by id; a missing block is taken from the
 * node kind's defaults when the kind has one there, else created empty.
 */
export function setConfigPath(raw: Record<string, unknown>, path: string, value: SweepValue, kindDefaults?: KindDefaults): void {
  const keys = path.split('.');
  if (keys.some((k) => k.length === 0)) throw new Error(`${path}: empty segment in the path; write e.g. nodes.navigator.replan`);
  let here: unknown = raw;
  let node: Record<string, unknown> | undefined;
  let defaults: unknown;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i];
    const where = keys.slice(0, i + 1).join('.');
    let next: unknown;
    if (Array.isArray(here)) {
      next = listItem(here, key, where);
      defaults = Array.isArray(defaults) ? defaults.find((x) => isObject(x) && x.id === key) : undefined;
    } else if (isObject(here)) {
      next = here[key];
      const fromDefault = isObject(defaults) ? defaults[key] : undefined;
      if (next === undefined) {
        next = fromDefault !== undefined ? structuredClone(fromDefault) : {};
        here[key] = next;
      }
      defaults = fromDefault;
    } else {
      throw new Error(`${where}: ${keys.slice(0, i).join('.')} is a ${typeof here}, not a block; check the path`);
    }
    // Inside `nodes.<id>.params`, the kind's defaults fill in the blocks the config leaves out.
    if (i === 1 && keys[0] === 'nodes' && isObject(next)) node = next;
    if (i === 2 && key === 'params' && node && kindDefaults) defaults = kindDefaults(String(node.kind), structuredClone(next as Record<string, unknown>));
    here = next;
  }
  const last = keys[keys.length - 1];
  if (Array.isArray(here)) throw new Error(`${path}: names a whole list item; address one of its fields, e.g. ${path}.<field>`);
  if (!isObject(here)) throw new Error(`${path}: ${keys.slice(0, -1).join('.')} is a ${typeof here}, not a block; check the path`);
  if (here[last] !== null && typeof here[last] === 'object') throw new Error(`${path}: is a ${Array.isArray(here[last]) ? 'list' : 'block'}, not a value; address a field inside it`);
  here[last] = value;
}

/** A config override that applies the assignments in order, plus the scenario file (absolute) when given. */
export function settingOverride(assignments: readonly Assignment[], scenario: string | undefined, kindDefaults?: KindDefaults): ConfigOverride {
  return (raw) => {
    if (scenario !== undefined) {
      let used = false;
      for (const n of (raw.nodes as Array<{ params?: Record<string, unknown> }> | undefined) ?? []) {
        if (n.params && typeof n.params.scenario === 'string') {
          n.params.scenario = scenario;
          used = true;
        }
      }
      if (!used) throw new Error('sweep.scenario: no node of this config names a scenario (params.scenario); sweep scenarios only over a rover tree');
    }
    for (const a of assignments) setConfigPath(raw, a.path, a.value, kindDefaults);
  };
}

import type { z } from 'zod';
import type { BehaviorRegistry, OutputValue } from './behavior.js';
import type { SubsumptionConfig } from './subsumption-config.js';
import { issuePath, type ConfigIssue } from './subsumption-config-error.js';

/** The wires of one output, ready to evaluate: behavior indices in evaluation order. */
export interface CompiledOutput {
  readonly name: string;
  readonly default: OutputValue;
  /** Behaviors that drive this output, sources first (every edge goes from earlier to later). */
  readonly order: readonly number[];
  /** The one driver whose wire reaches the actuator. */
  readonly sink: number;
  /** Per behavior index: who suppresses its wire on this output, highest layer first. */
  readonly suppressors: readonly (readonly number[])[];
  /** Per behavior index: who inhibits its wire on this output. */
  readonly inhibitors: readonly (readonly number[])[];
}

export interface CompiledWiring {
  readonly outputs: readonly CompiledOutput[];
  /** Parsed params per behavior index. */
  readonly params: readonly unknown[];
}

const quoteList = (xs: readonly string[]): string => xs.map((x) => `"${x}"`).join(', ');

function zodIssues(prefix: string, error: z.ZodError): ConfigIssue[] {
  return error.issues.map((i) => ({ path: issuePath(i.path, prefix), message: i.message }));
}

/**
 * Checks the wiring against the registry and turns it into per-output evaluation plans.
 * Returns the issues instead when anything is wrong: unknown behavior or type, bad params,
 * an edge between behaviors that share no output, a cycle, an output no behavior drives,
 * or an output with more than one unconnected driver (an unwired behavior).
 */
export function compileWiring<I>(config: SubsumptionConfig, registry: BehaviorRegistry<I>): CompiledWiring | ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const index = new Map<string, number>();
  const params: unknown[] = [];
  const drives: Set<string>[] = [];
  const outputNames = Object.keys(config.outputs);
  const known = Object.keys(registry);

  config.behaviors.forEach((b, i) => {
    if (index.has(b.id)) issues.push({ path: `behaviors[${i}].id`, message: `"${b.id}" is already the id of behaviors[${index.get(b.id)}]; ids must be unique` });
    else index.set(b.id, i);
    const type = registry[b.type];
    drives.push(new Set(type?.drives ?? []));
    params.push(undefined);
    if (type === undefined) {
      issues.push({ path: `behaviors[${i}].type`, message: `unknown behavior type "${b.type}"; known types: ${quoteList(known)}` });
      return;
    }
    const parsed = type.params.safeParse(b.params);
    if (parsed.success) params[i] = parsed.data;
    else issues.push(...zodIssues(`behaviors[${i}].params`, parsed.error));
    for (const o of type.drives) {
      if (!(o in config.outputs)) {
        issues.push({ path: `behaviors[${i}]`, message: `type "${b.type}" drives output "${o}", which is not declared; add it under outputs (known outputs: ${quoteList(outputNames)})` });
      }
    }
  });

  // Edges per output: from → to, with kind.
  const edges = new Map<string, Array<{ from: number; to: number; kind: 'suppress' | 'inhibit'; at: number }>>();
  for (const o of outputNames) edges.set(o, []);
  config.wiring.forEach((w, i) => {
    const kind = w.suppress !== undefined ? 'suppress' : 'inhibit';
    const toId = (w.suppress ?? w.inhibit)!;
    const from = index.get(w.from);
    const to = index.get(toId);
    if (from === undefined) issues.push({ path: `wiring[${i}].from`, message: `unknown behavior "${w.from}"; behaviors are ${quoteList([...index.keys()])}` });
    if (to === undefined) issues.push({ path: `wiring[${i}].${kind}`, message: `unknown behavior "${toId}"; behaviors are ${quoteList([...index.keys()])}` });
    if (from === undefined || to === undefined) return;
    if (from === to) {
      issues.push({ path: `wiring[${i}]`, message: `cycle: "${w.from}" ${kind}es itself; an edge must join two different behaviors` });
      return;
    }
    const shared = outputNames.filter((o) => drives[from].has(o) && drives[to].has(o));
    const outs = w.outputs ?? shared;
    if (outs.length === 0) {
      issues.push({ path: `wiring[${i}]`, message: `"${w.from}" and "${toId}" drive no output in common, so "${w.from}" cannot ${kind} "${toId}"` });
      return;
    }
    outs.forEach((o, j) => {
      if (!(o in config.outputs)) issues.push({ path: `wiring[${i}].outputs[${j}]`, message: `unknown output "${o}"; outputs are ${quoteList(outputNames)}` });
      else if (!drives[from].has(o)) issues.push({ path: `wiring[${i}].outputs[${j}]`, message: `"${w.from}" does not drive output "${o}", so it cannot ${kind} it` });
      else if (!drives[to].has(o)) issues.push({ path: `wiring[${i}].outputs[${j}]`, message: `"${toId}" does not drive output "${o}", so there is nothing to ${kind}` });
      else edges.get(o)!.push({ from, to, kind, at: i });
    });
  });
  if (issues.length > 0) return issues;

  const ids = config.behaviors.map((b) => b.id);
  const layerOf = (b: number): number => config.behaviors[b].layer;
  const outputs: CompiledOutput[] = [];
  for (const o of outputNames) {
    const nodes = config.behaviors.map((_, i) => i).filter((i) => drives[i].has(o));
    if (nodes.length === 0) {
      issues.push({ path: `outputs.${o}`, message: `no behavior drives this output; add a behavior whose type drives "${o}" or remove the output` });
      continue;
    }
    const es = edges.get(o)!;
    const cycle = findCycle(nodes, es);
    if (cycle !== undefined) {
      const path = cycle.map((e) => ids[e.from]).concat(ids[cycle[0].from]).map((x) => `"${x}"`).join(' → ');
      issues.push({ path: 'wiring', message: `cycle on output "${o}": ${path} (edges ${cycle.map((e) => `wiring[${e.at}]`).join(', ')}); a behavior cannot end up overriding itself` });
      continue;
    }
    const hasOut = new Set(es.map((e) => e.from));
    const sinks = nodes.filter((n) => !hasOut.has(n));
    if (sinks.length > 1) {
      const loose = sinks.map((s) => `"${ids[s]}"`).join(', ');
      issues.push({
        path: `outputs.${o}`,
        message: `behaviors ${loose} all drive this output and none of them is wired to another, so it is unclear which reaches the actuator; wire all but one (e.g. { from: "${ids[sinks[0]]}", suppress: "${ids[sinks[1]]}" })`,
      });
      continue;
    }
    const suppressors: number[][] = ids.map(() => []);
    const inhibitors: number[][] = ids.map(() => []);
    for (const e of es) (e.kind === 'suppress' ? suppressors : inhibitors)[e.to].push(e.from);
    for (const s of suppressors) s.sort((a, b) => layerOf(b) - layerOf(a) || a - b);
    outputs.push({ name: o, default: config.outputs[o].default, order: topoOrder(nodes, es), sink: sinks[0], suppressors, inhibitors });
  }
  return issues.length > 0 ? issues : { outputs, params };
}

type Edge = { from: number; to: number; at: number };

function topoOrder(nodes: readonly number[], es: readonly Edge[]): number[] {
  const indeg = new Map(nodes.map((n) => [n, 0]));
  for (const e of es) indeg.set(e.to, indeg.get(e.to)! + 1);
  const ready = nodes.filter((n) => indeg.get(n) === 0);
  const order: number[] = [];
  while (ready.length > 0) {
    const n = ready.shift()!;
    order.push(n);
    for (const e of es) {
      if (e.from !== n) continue;
      indeg.set(e.to, indeg.get(e.to)! - 1);
      if (indeg.get(e.to) === 0) ready.push(e.to);
    }
  }
  return order;
}

/** A cycle as the list of edges along it, or undefined when the graph is acyclic. */
function findCycle(nodes: readonly number[], es: readonly Edge[]): Edge[] | undefined {
  const colour = new Map(nodes.map((n) => [n, 0])); // 0 new, 1 on stack, 2 done
  const stack: Edge[] = [];
  const visit = (n: number): Edge[] | undefined => {
    colour.set(n, 1);
    for (const e of es) {
      if (e.from !== n) continue;
      if (colour.get(e.to) === 1) {
        const start = stack.findIndex((s) => s.from === e.to);
        return [...(start >= 0 ? stack.slice(start) : []), e];
      }
      if (colour.get(e.to) === 0) {
        stack.push(e);
        const found = visit(e.to);
        if (found) return found;
        stack.pop();
      }
    }
    colour.set(n, 2);
    return undefined;
  };
  for (const n of nodes) {
    if (colour.get(n) !== 0) continue;
    const found = visit(n);
    if (found) return found;
  }
  return undefined;
}

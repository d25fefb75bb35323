import type { Random } from '../time/random.js';
import type { Behavior, BehaviorRegistry, OutputValue, Proposal } from './behavior.js';
import { compileWiring, type CompiledOutput } from './compile-wiring.js';
import { subsumptionConfigSchema, type SubsumptionConfig } from './subsumption-config.js';
import { SubsumptionConfigError, issuePath, type ConfigIssue } from './subsumption-config-error.js';

/**
 * Why an output has its value: `drive` — behavior `by` put it on the wire that reaches
 * the actuator; `inhibit` — `by` blocked that wire, so the output fell to its default;
 * `default` — nothing asserted the output (`by` is "default").
 */
export interface OutputOwner {
  readonly by: string;
  readonly how: 'drive' | 'inhibit' | 'default';
}

export interface ArbitrationResult<V = OutputValue> {
  readonly outputs: Readonly<Record<string, V>>;
  readonly owners: Readonly<Record<string, OutputOwner>>;
}

/** A subsumption network: behaviors stepping in parallel, their wires joined by suppressors and inhibitors. */
export interface Subsumption<I, V = OutputValue> {
  readonly behaviors: readonly Behavior<I, V>[];
  readonly config: SubsumptionConfig;
  /** Steps every behavior at `now`, then resolves each output through its wires. */
  step(input: I, now: number): ArbitrationResult<V>;
  /** FSM state of each behavior, by id. */
  states(): Record<string, string>;
}

export interface SubsumptionOptions {
  /** Seeded source; each behavior gets `random.fork(id)`. */
  readonly random: Random;
  /** Names the config in errors, e.g. `tree.yaml: nodes.reflex.params`. Default "subsumption". */
  readonly where?: string;
}

const DEFAULT_OWNER: OutputOwner = Object.freeze({ by: 'default', how: 'default' });

function parseIssues(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): ConfigIssue[] {
  return error.issues.map((i) => ({ path: issuePath(i.path), message: i.message }));
}

/**
 * Loads a subsumption config (unparsed or parsed): checks it, creates the behaviors from
 * the registry, and compiles the wiring. Throws {@link SubsumptionConfigError} listing
 * every problem with its path.
 */
export function createSubsumption<I, V extends OutputValue = OutputValue>(
  input: unknown,
  registry: BehaviorRegistry<I, V>,
  options: SubsumptionOptions,
): Subsumption<I, V> {
  const where = options.where ?? 'subsumption';
  const parsed = subsumptionConfigSchema.safeParse(input);
  if (!parsed.success) throw new SubsumptionConfigError(where, parseIssues(parsed.error));
  const config = parsed.data;
  const compiled = compileWiring(config, registry);
  if (Array.isArray(compiled)) throw new SubsumptionConfigError(where, compiled);

  const behaviors = config.behaviors.map((b, i) =>
    registry[b.type].create(compiled.params[i], { id: b.id, random: options.random.fork(`behavior/${b.id}`) }),
  );
  const n = behaviors.length;
  const driveOwners = config.behaviors.map((b) => Object.freeze({ by: b.id, how: 'drive' as const }));
  const inhibitOwners = config.behaviors.map((b) => Object.freeze({ by: b.id, how: 'inhibit' as const }));
  const proposals: Proposal<V>[] = new Array(n);
  const wireValue: (V | undefined)[] = new Array(n);
  const wireOwner = new Int32Array(n);
  const blockedBy = new Int32Array(n);

  function resolve(o: CompiledOutput, outputs: Record<string, V>, owners: Record<string, OutputOwner>): void {
    const order = o.order;
    for (let k = 0; k < order.length; k++) {
      const b = order[k];
      wireOwner[b] = -1;
      blockedBy[b] = -1;
      wireValue[b] = undefined;
      // A suppressor's value replaces the wire's contents downstream of any inhibitor,
      // so a higher reflex (e-stop) still reaches the actuator through a blocked wire.
      const sup = o.suppressors[b];
      for (let j = 0; j < sup.length; j++) {
        const s = sup[j];
        if (wireOwner[s] >= 0) {
          wireOwner[b] = wireOwner[s];
          wireValue[b] = wireValue[s];
          break;
        }
      }
      if (wireOwner[b] >= 0) continue;
      const inh = o.inhibitors[b];
      for (let j = 0; j < inh.length; j++) {
        if (wireOwner[inh[j]] >= 0) {
          blockedBy[b] = wireOwner[inh[j]];
          break;
        }
      }
      if (blockedBy[b] >= 0) continue;
      const v = proposals[b][o.name];
      if (v !== undefined) {
        wireOwner[b] = b;
        wireValue[b] = v;
      }
    }
    const s = o.sink;
    if (wireOwner[s] >= 0) {
      outputs[o.name] = wireValue[s] as V;
      owners[o.name] = driveOwners[wireOwner[s]];
    } else {
      outputs[o.name] = o.default as V;
      owners[o.name] = blockedBy[s] >= 0 ? inhibitOwners[blockedBy[s]] : DEFAULT_OWNER;
    }
  }

  return {
    behaviors,
    config,
    step(stepInput: I, now: number): ArbitrationResult<V> {
      for (let i = 0; i < n; i++) proposals[i] = behaviors[i].step(stepInput, now);
      const outputs: Record<string, V> = {};
      const owners: Record<string, OutputOwner> = {};
      for (let k = 0; k < compiled.outputs.length; k++) resolve(compiled.outputs[k], outputs, owners);
      return { outputs, owners };
    },
    states(): Record<string, string> {
      const out: Record<string, string> = {};
      for (const b of behaviors) out[b.id] = b.state();
      return out;
    },
  };
}

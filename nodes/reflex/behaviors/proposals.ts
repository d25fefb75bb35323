import type { Proposal } from '../../../src/subsumption/behavior.js';
import type { ReflexInput } from '../reflex-signals.js';

/** Both wheels still: the safe proposal. Shared and frozen, so stopping allocates nothing. */
export const STOP: Proposal<number> = Object.freeze({ v: 0, w: 0 });
/** Asserts nothing: lower layers pass through. */
export const SILENT: Proposal<number> = Object.freeze({});
/** Outputs every reflex behavior drives. */
export const DRIVES = Object.freeze(['v', 'w'] as const);

/** The parent's commanded speed, or `fallback` when there is no command. */
export function commandedV(input: ReflexInput, fallback: number): number {
  return input.parentCommand === undefined ? fallback : input.parentCommand.v;
}

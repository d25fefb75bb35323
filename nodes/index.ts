import type { AnyNodeKind } from '../src/node/node-kind.js';
import { sequencerKind } from './sequencer/sequencer.js';
import { workerKind } from './worker/worker.js';

/** The node kinds that ship with strata, by name. */
export const builtinKinds: ReadonlyMap<string, AnyNodeKind> = new Map<string, AnyNodeKind>([
  [sequencerKind.kind, sequencerKind],
  [workerKind.kind, workerKind],
]);

import type { AnyNodeKind } from '../src/node/node-kind.js';
import { gatewayKind } from './gateway/gateway-kind.js';
import { reflexKind } from './reflex/reflex.js';
import { roverSimKind } from './rover-sim/rover-sim.js';
import { sequencerKind } from './sequencer/sequencer.js';
import { workerKind } from './worker/worker.js';

/** The node kinds that ship with strata, by name. */
export const builtinKinds: ReadonlyMap<string, AnyNodeKind> = new Map<string, AnyNodeKind>(
  [sequencerKind, workerKind, reflexKind, roverSimKind, gatewayKind].map((k) => [k.kind, k as AnyNodeKind]),
);

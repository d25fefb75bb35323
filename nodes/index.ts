import type { AnyNodeKind } from '../src/node/node-kind.js';
import { gatewayKind } from './gateway/gateway-kind.js';
import { missionKind } from './mission/mission.js';
import { navigatorKind } from './navigator/navigator.js';
import { pilotKind } from './pilot/pilot.js';
import { reflexKind } from './reflex/reflex.js';
import { roverSimKind } from './rover-sim/rover-sim.js';
import { sequencerKind } from './sequencer/sequencer.js';
import { workerKind } from './worker/worker.js';

/** The node kinds that ship with strata, by name. */
export const builtinKinds: ReadonlyMap<string, AnyNodeKind> = new Map<string, AnyNodeKind>(
  [missionKind, navigatorKind, pilotKind, reflexKind, roverSimKind, gatewayKind, sequencerKind, workerKind].map((k) => [k.kind, k as AnyNodeKind]),
);

import type { Json } from '../contracts/ids.js';
import type { Health } from '../contracts/health.js';
import type { NodeState } from '../contracts/state.js';
import type { Point } from '../contracts/device.js';
import type { CycleStats } from './cycle-stats.js';
import type { NodeSpec } from './node-runtime.js';
import type { TrackedTask } from './task-tracker.js';

/** Who a node is: in its birth, and in its death too, so a viewer of a stopped tree still knows it. */
export function identityOf(spec: NodeSpec, kind: string, session: number): Omit<NodeState, 'state'> {
  return { v: 1, node: spec.id, session, kind, level: spec.level, parent: spec.parent };
}

/** The retained `online` state: where the node sits, how it is timed, what it accepts, its device points. */
export function birthOf(spec: NodeSpec, kind: string, verbs: readonly string[], session: number, now: number, points: Point[] | undefined): NodeState {
  const b: NodeState = {
    ...identityOf(spec, kind, session),
    state: 'online',
    t: now,
    children: spec.children,
    period_ms: spec.periodMs,
    horizon_ms: spec.horizonMs,
    replan_ms: spec.replanMs,
    verbs: [...new Set([...verbs, 'abort', 'rebirth'])],
  };
  if (points) b.points = points;
  return b;
}

/** The heartbeat: cycle statistics, the current command, and the kind's and runtime's detail. */
export function healthOf(
  spec: NodeSpec,
  session: number,
  now: number,
  realTime: boolean,
  stats: CycleStats,
  latest: TrackedTask | undefined,
  duplicates: number,
  detail: Record<string, Json>,
): Health {
  const h: Health = {
    v: 1,
    node: spec.id,
    t: now,
    session,
    period_ms: spec.periodMs,
    cycles: stats.cycles,
    overruns: stats.overruns,
    exec_ms: stats.exec(),
    missed: stats.missed,
    rejected: stats.rejected,
    duplicates,
    command: latest ? { id: latest.id, serial: latest.serial, verb: latest.verb, state: latest.state } : null,
  };
  if (realTime) h.late_ms = stats.late();
  if (stats.faults > 0) detail.faults = stats.faults;
  if (Object.keys(detail).length > 0) h.detail = detail;
  return h;
}

import type { z } from 'zod';
import type { Clock } from '../time/clock.js';
import type { Random } from '../time/random.js';
import type { Logger } from '../log/logger.js';
import type { Json } from '../contracts/ids.js';
import type { CommandState, Plan } from '../contracts/status.js';
import type { Point } from '../contracts/device.js';
import type { NodeState } from '../contracts/state.js';

/** What the runtime tells a node about itself when it is created. */
export interface NodeContext<P = unknown> {
  readonly tree: string;
  readonly id: string;
  readonly kind: string;
  readonly level: number;
  readonly parent: string | null;
  readonly children: readonly string[];
  /** Siblings (same parent), for peer messages. */
  readonly siblings: readonly string[];
  /** Cycle period (ms); planning horizon and re-plan interval from the node's timing contract. */
  readonly periodMs: number;
  readonly horizonMs: number;
  readonly replanMs: number;
  /** The parent's period (ms), e.g. for watchdogs counted in parent periods; 0 for the root. */
  readonly parentPeriodMs: number;
  /** Folder of the tree's config file: files named in params are relative to it. */
  readonly baseDir: string;
  /** Kind-specific parameters, parsed and defaulted by the kind's `params` schema. */
  readonly params: P;
  /**
   * The tree's clock: read `now()` here, never the wall clock. Device kinds (the I/O
   * edge) may also set timers on it, and rxjs operators take its `scheduler`.
   */
  readonly clock: Clock;
  /** This node's own seeded random stream. */
  readonly random: Random;
  readonly log: Logger;
  /**
   * Elapsed wall time since `start` (ms), for planning budgets in real time. In virtual
   * time it returns 0, so budgets must also bound work (expansions) to stay reproducible.
   */
  readonly stopwatch: () => () => number;
}

/** The command this node is executing (its task), with args parsed by the verb's schema. */
export interface TaskBase {
  readonly id: string;
  readonly serial: number;
  readonly from: string;
  /** Clock time the command arrived. */
  readonly receivedAt: number;
  /** Clock time of the latest update (same id, higher serial). */
  readonly updatedAt: number;
}

export type TaskOf<V extends VerbSchemas> = {
  [K in keyof V & string]: TaskBase & { readonly verb: K; readonly args: z.output<V[K]> };
}[keyof V & string];

export type VerbSchemas = Record<string, z.ZodType>;

/** What a node knows of one child. */
export interface ChildView {
  readonly id: string;
  readonly online: boolean;
  /** Session from the child's latest birth. */
  readonly session: number | undefined;
  readonly birth: NodeState | undefined;
  /** Latest sensation values and when (child's clock) they were sent. */
  readonly sense: Readonly<Record<string, Json>> | undefined;
  readonly senseAt: number | undefined;
  /** Sensations received since the previous cycle, oldest first. */
  readonly senseSinceLastCycle: ReadonlyArray<Readonly<Record<string, Json>>>;
  /** Sequence gaps seen in this child's sensations (lost messages). */
  readonly senseGaps: number;
  /** The command this node gave the child, with the child's latest status for it. */
  readonly command: ChildCommandView | undefined;
  /** Device points from the child's birth (level-0 nodes). */
  readonly points: readonly Point[] | undefined;
}

export interface ChildCommandView {
  readonly id: string;
  readonly serial: number;
  readonly verb: string;
  readonly args: Readonly<Record<string, unknown>>;
  /** `sent` until the child's first status for it arrives. */
  readonly state: CommandState | 'sent';
  readonly progress: number;
  readonly reason: string;
  readonly detail: Readonly<Record<string, Json>> | undefined;
  readonly plan: Plan | undefined;
  readonly sentAt: number;
}

/** A change the node should react to, since its previous cycle. */
export type NodeEvent =
  | { type: 'child-status'; child: string; id: string; state: CommandState; reason: string }
  | { type: 'child-online'; child: string; session: number }
  | { type: 'child-offline'; child: string; reason: string }
  | { type: 'task-new'; id: string; verb: string }
  | { type: 'task-update'; id: string; serial: number }
  | { type: 'task-aborted'; id: string; reason: string }
  /** The parent went offline (its last will); the runtime has stopped the current command unless `on_parent_lost: continue`. */
  | { type: 'parent-offline'; parent: string; reason: string }
  /** The birth was announced again on request (`rebirth`): a device publishes a full data set. */
  | { type: 'rebirth'; id: string };

export interface PeerInput {
  readonly from: string;
  readonly kind: string;
  readonly body: Json;
  readonly t: number;
}

/** Everything a cycle reads: the "read inputs" step of the RCS loop. */
export interface CycleInput<V extends VerbSchemas = VerbSchemas> {
  readonly now: number;
  readonly cycle: number;
  readonly task: TaskOf<V> | undefined;
  readonly children: Readonly<Record<string, ChildView>>;
  readonly parent: { readonly online: boolean; readonly lastHeardAt: number | undefined };
  readonly peers: readonly PeerInput[];
  readonly events: readonly NodeEvent[];
}

/** A command this node wants a child to be executing. */
export interface ChildCommand {
  /** Task id; a new id preempts the child's current task, the same id updates its args. */
  readonly id: string;
  readonly verb: string;
  readonly args?: Record<string, unknown>;
  /** Send the same command again (new serial) if nothing was sent for this long (ms): a keep-alive for watchdogs. */
  readonly refreshMs?: number;
}

/** The status this node reports for its own task. */
export interface TaskReport {
  readonly state: 'executing' | 'done' | 'failed';
  readonly progress?: number;
  readonly reason?: string;
  readonly detail?: Record<string, Json>;
  readonly plan?: Plan;
}

/** What behavior generation decides in one cycle: the "write outputs" step. */
export interface BehaviorOutput {
  /** Status of the current task. Omit to leave it as it is. */
  readonly status?: TaskReport;
  /** Desired command per child; omitted children are left alone. The runtime sends only changes. */
  readonly commands?: Readonly<Record<string, ChildCommand | undefined>>;
  /** Sensations for the parent, at this node's abstraction (published on `sense`). */
  readonly sense?: Record<string, Json>;
  /** Messages to siblings. */
  readonly peers?: ReadonlyArray<{ to: string; kind: string; body: Json }>;
  /** Kind-specific figures for `health.detail` (plan age, owners, faults...). */
  readonly health?: Record<string, Json>;
  /** Problems to report on the node's `error` topic (e.g. a device fault), each with the topic or source it concerns. */
  readonly errors?: ReadonlyArray<{ topic: string; reason: string }>;
}

/**
 * The four parts of an RMA node. The runtime calls them once per cycle, in the RCS
 * order: read inputs → perceive (SP) → update (WM) → judge (VJ) → behave (BG) →
 * write outputs. Only `behave` is required; the others default to "nothing to do".
 * The world model's initial state comes from the kind's `world()`.
 */
export interface NodeParts<V extends VerbSchemas, WM, Percept, Scores> {
  /** Sensory perception: children's sensations → this node's percept. */
  perceive?(input: CycleInput<V>, world: WM): Percept;
  /** World model: how a percept changes the node's state (default: unchanged; it may also mutate `world`). */
  update?(world: WM, percept: Percept, input: CycleInput<V>): WM;
  /** Value judgment: score the situation and the candidate plans. */
  judge?(world: WM, input: CycleInput<V>): Scores;
  /** Behavior generation: plan and decide the children's commands and the task's status. */
  behave(world: WM, scores: Scores, input: CycleInput<V>): BehaviorOutput;
  /** Called before a new command is accepted: return a reason to reject it. */
  accept?(task: TaskOf<V>, world: WM): string | undefined;
  /** Called once when the node stops. */
  stop?(): void | Promise<void>;
  /**
   * Called at once when the broker connection is lost (`lost`) and when it is back and
   * the birth has been announced again (`restored`). A device node puts its outputs in
   * their safe state on `lost`; nothing needs to wait for the next cycle.
   */
  link?(state: 'lost' | 'restored', now: number): void;
  /** Called once after the birth is announced, before the first cycle (device kinds open their I/O here). */
  start?(): void | Promise<void>;
}

/** Which inputs wake a node at once (a command always does). */
export interface WakeOn {
  /** A child's status changed (default true). */
  readonly childStatus?: boolean;
  /** A child's birth or death (default true). */
  readonly childState?: boolean;
  /** A child's sensation (default false: read at the next cycle). */
  readonly childSense?: boolean;
  /** A peer message (default true). */
  readonly peer?: boolean;
}

/** A node kind: a module under nodes/ that supplies the four parts; the runtime supplies the rest. */
export interface NodeKind<P extends z.ZodType = z.ZodType, V extends VerbSchemas = VerbSchemas, WM = unknown, Percept = unknown, Scores = unknown> {
  readonly kind: string;
  readonly description: string;
  /** Schema of `params` in the config (defaults applied). */
  readonly params: P;
  /** Command verbs this kind accepts and their argument schemas (`abort` is built in). */
  readonly verbs: V;
  readonly wakeOn?: WakeOn;
  /** Device nodes: the I/O points announced in the birth (given the params and the world model). */
  points?(params: z.output<P>, world: WM): Point[];
  /**
   * World model: the node's initial state at its level. Write it before `points` and
   * `create` in the object literal: TypeScript then infers its type for every part.
   */
  world?(ctx: NodeContext<z.output<P>>): WM;
  create(ctx: NodeContext<z.output<P>>): NodeParts<V, WM, Percept, Scores>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNodeKind = NodeKind<any, any, any, any, any>;

/** Declares a node kind with full type inference of params, verbs and parts. */
export function defineNodeKind<P extends z.ZodType, V extends VerbSchemas, WM, Percept, Scores>(
  kind: NodeKind<P, V, WM, Percept, Scores>,
): NodeKind<P, V, WM, Percept, Scores> {
  return kind;
}

import type { Json } from '../../../src/contracts/ids.js';
import type { CommandState } from '../../../src/contracts/status.js';
import { silentLogger } from '../../../src/log/logger.js';
import type { AnyNodeKind, BehaviorOutput, ChildCommand, ChildView, CycleInput, NodeContext, NodeEvent } from '../../../src/node/node-kind.js';
import { createRandom } from '../../../src/time/random.js';
import { VirtualClock } from '../../../src/time/virtual-clock.js';

/** A hand-built NodeContext, as the runtime would make it. */
export function contextFor(kind: AnyNodeKind, params: unknown, opts: { id: string; children: string[]; periodMs: number; parentPeriodMs: number; replanMs?: number; level?: number }): NodeContext<never> {
  return {
    tree: 'test',
    id: opts.id,
    kind: kind.kind,
    level: opts.level ?? 2,
    parent: 'parent',
    children: opts.children,
    siblings: [],
    periodMs: opts.periodMs,
    horizonMs: opts.periodMs * 10,
    replanMs: opts.replanMs ?? opts.periodMs,
    parentPeriodMs: opts.parentPeriodMs,
    baseDir: process.cwd(),
    params: kind.params.parse(params) as never,
    clock: new VirtualClock(),
    random: createRandom(1),
    log: silentLogger,
    stopwatch: () => () => 0,
  };
}

/** What a parent knows of one child: online, with the commands it was given and their states. */
export class FakeChild {
  command: (ChildCommand & { serial: number; state: CommandState | 'sent'; reason: string; progress: number }) | undefined;
  sense: Record<string, Json> | undefined;
  private pending: Array<Record<string, Json>> = [];
  /** Every command the parent sent (new id or changed args), in order. */
  readonly sent: ChildCommand[] = [];
  online = true;
  session = 1;

  constructor(readonly id: string) {}

  feel(values: Record<string, Json>): void {
    this.sense = values;
    this.pending.push(values);
  }

  /** The child reports a state for its current command. */
  report(state: CommandState, reason = ''): void {
    if (this.command) this.command = { ...this.command, state, reason };
  }

  view(): ChildView {
    const since = this.pending;
    this.pending = [];
    const c = this.command;
    return {
      id: this.id,
      online: this.online,
      session: this.session,
      birth: undefined,
      sense: this.sense,
      senseAt: 0,
      senseSinceLastCycle: since,
      senseGaps: 0,
      command: c ? { id: c.id, serial: c.serial, verb: c.verb, args: c.args ?? {}, state: c.state, progress: c.progress, reason: c.reason, detail: undefined, plan: undefined, sentAt: 0 } : undefined,
      points: undefined,
    };
  }

  /** Applies the parent's desired command as the runtime's reconcile would. */
  take(want: ChildCommand | undefined): void {
    if (!want) return;
    const cur = this.command;
    const running = cur && !['done', 'failed', 'aborted', 'rejected'].includes(cur.state);
    if (!cur || cur.id !== want.id) {
      this.command = { ...want, serial: (cur?.serial ?? 0) + 1, state: 'executing', reason: '', progress: 0 };
      this.sent.push(want);
      return;
    }
    if (running && JSON.stringify(want.args ?? {}) !== JSON.stringify(cur.args ?? {})) {
      this.command = { ...cur, ...want, serial: cur.serial + 1 };
      this.sent.push(want);
    }
  }
}

/** Drives one node kind's parts cycle by cycle with crafted inputs. */
export class KindHarness {
  readonly parts: ReturnType<AnyNodeKind['create']>;
  world: unknown;
  now = 0;
  cycle = 0;
  task: CycleInput['task'];
  events: NodeEvent[] = [];
  last: BehaviorOutput = {};
  private serial = 0;

  constructor(
    readonly kind: AnyNodeKind,
    readonly ctx: NodeContext<never>,
    readonly children: Record<string, FakeChild>,
  ) {
    this.world = kind.world?.(ctx);
    this.parts = kind.create(ctx);
  }

  /** Gives the node a command (args parsed by the verb's schema, as the runtime does). */
  command(id: string, verb: string, args: Record<string, unknown> = {}): void {
    this.serial++;
    const parsed = this.kind.verbs[verb].parse(args);
    this.task = { id, serial: this.serial, from: 'parent', verb, args: parsed, receivedAt: this.now, updatedAt: this.now } as never;
  }

  /** One cycle: perceive → update → judge → behave; child commands are applied; a terminal status ends the task. */
  step(advanceMs = this.ctx.periodMs): BehaviorOutput {
    const views: Record<string, ChildView> = {};
    for (const [id, c] of Object.entries(this.children)) views[id] = c.view();
    const input: CycleInput = { now: this.now, cycle: this.cycle++, task: this.task, children: views, parent: { online: true, lastHeardAt: this.now }, peers: [], events: this.events };
    this.events = [];
    const p = this.parts;
    const percept = p.perceive ? p.perceive(input as never, this.world) : undefined;
    if (p.update) this.world = p.update(this.world, percept, input as never);
    const scores = p.judge ? p.judge(this.world, input as never) : undefined;
    const out = p.behave(this.world, scores, input as never);
    for (const [id, want] of Object.entries(out.commands ?? {})) this.children[id]?.take(want);
    if (out.status && out.status.state !== 'executing') this.ended = { state: out.status.state, reason: out.status.reason ?? '' };
    this.last = out;
    this.now += advanceMs;
    return out;
  }

  ended: { state: string; reason: string } | undefined;

  /** Clears the task after it ended (the runtime would). */
  endTask(): void {
    this.task = undefined;
    this.ended = undefined;
  }
}

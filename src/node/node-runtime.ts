import type { Json } from '../contracts/ids.js';
import type { Health } from '../contracts/health.js';
import type { NodeState } from '../contracts/state.js';
import type { MqttLink } from '../link/mqtt-link.js';
import type { Logger } from '../log/logger.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import type { Random } from '../time/random.js';
import { DEFAULT_MAX_PAYLOAD, encodePayload } from '../wire/codec.js';
import { topic } from '../wire/topics.js';
import { createPeriodicLoop, type PeriodicLoop } from '../time/periodic-loop.js';
import { ChildTracker } from './child-tracker.js';
import { NodeInputs } from './node-inputs.js';
import { NodeOutputs } from './node-outputs.js';
import { CycleStats } from './cycle-stats.js';
import type { AnyNodeKind, BehaviorOutput, CycleInput, NodeContext, NodeParts } from './node-kind.js';
import { TaskTracker } from './task-tracker.js';
import { TimingContract } from './timing-contract.js';
import { birthOf, healthOf, identityOf } from './node-payloads.js';
import type { NodeSpec } from './node-spec.js';

export type { NodeSpec } from './node-spec.js';

export interface NodeRuntimeOptions {
  tree: string;
  spec: NodeSpec;
  kind: AnyNodeKind;
  clock: Clock;
  random: Random;
  log: Logger;
  /** Makes this node's MQTT link (the runtime sets the client id and last will). */
  link: (opts: { clientId: string; will: { topic: string; payload: string; qos: 1; retain: true } }) => MqttLink;
  /** Session number announced in the birth. */
  session: number;
  /** Lockstep: wakes are signalled to the driver instead of being scheduled. */
  driven?: boolean;
  maxPayload?: number;
  /** Wall stopwatch for cycle statistics. */
  stopwatch: () => () => number;
  /** Called for every message this node publishes (trace, digest). */
  onPublish?: (topic: string, payload: string) => void;
}

/**
 * Runs one node: the RCS loop (read inputs → SP → WM → VJ → BG → write outputs) at
 * the node's period, woken at once by a command, with the command protocol, births,
 * heartbeats and input validation around it. The kind supplies only the four parts.
 */
export class NodeRuntime {
  readonly id: string;
  private readonly tree: string;
  private readonly spec: NodeSpec;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly parts: NodeParts<never, unknown, unknown, unknown>;
  private readonly tasks: TaskTracker;
  private readonly childTracker: ChildTracker;
  private readonly stats: CycleStats;
  private readonly inputs: NodeInputs;
  private readonly out: NodeOutputs;
  private readonly maxPayload: number;
  private link!: MqttLink;
  private world: unknown;
  private wakePending = false;
  private wakeTimer: TimerHandle | undefined;
  private loop: PeriodicLoop | undefined;
  private healthTimer: TimerHandle | undefined;
  private running = false;
  private stopped = false;
  private cycleNo = 0;
  private inCycle = false;
  private readonly timing: TimingContract;
  private readonly params: unknown;

  constructor(private readonly options: NodeRuntimeOptions) {
    this.id = options.spec.id;
    this.tree = options.tree;
    this.spec = options.spec;
    this.clock = options.clock;
    this.log = options.log;
    this.maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
    this.stats = new CycleStats(this.spec.periodMs);
    this.timing = new TimingContract(this.spec.replanMs, this.log);
    const params = options.kind.params.parse(this.spec.params ?? {});
    this.params = params;
    const ctx: NodeContext<unknown> = {
      tree: this.tree,
      id: this.id,
      kind: options.kind.kind,
      level: this.spec.level,
      parent: this.spec.parent,
      children: this.spec.children,
      siblings: this.spec.siblings,
      periodMs: this.spec.periodMs,
      horizonMs: this.spec.horizonMs,
      replanMs: this.spec.replanMs,
      parentPeriodMs: this.spec.parentPeriodMs,
      baseDir: this.spec.baseDir,
      params,
      clock: this.clock,
      random: options.random,
      log: this.log,
      stopwatch: options.stopwatch,
    };
    this.parts = options.kind.create(ctx) as unknown as NodeParts<never, unknown, unknown, unknown>;
    this.world = options.kind.world?.(ctx);
    this.tasks = new TaskTracker(this.id, options.kind.verbs, this.parts.accept ? (t) => this.parts.accept!(t as never, this.world) : undefined);
    this.childTracker = new ChildTracker(this.id, this.spec.children, options.session);
    this.out = new NodeOutputs({
      tree: this.tree,
      spec: this.spec,
      log: this.log,
      link: () => this.link,
      onPublish: options.onPublish,
      tasks: this.tasks,
      children: this.childTracker,
      timing: this.timing,
      stats: this.stats,
    });
    this.inputs = new NodeInputs({
      tree: this.tree,
      spec: this.spec,
      wakeOn: options.kind.wakeOn ?? {},
      clock: this.clock,
      log: this.log,
      tasks: this.tasks,
      children: this.childTracker,
      stats: this.stats,
      maxPayload: this.maxPayload,
      driven: options.driven ?? false,
      host: {
        publishError: (e) => this.out.publish(topic(this.tree, this.id, 'error'), e, 0, false),
        publishStatus: (st) => this.out.publishStatus(st),
        announceBirth: () => this.out.publish(topic(this.tree, this.id, 'state'), this.birth(), 1, true),
        requestWake: () => this.requestWake(),
      },
    });
  }

  /** Connects, subscribes, announces the birth and starts cycling. */
  async start(): Promise<void> {
    await this.connect();
    this.begin();
  }

  /** First half of start: connect and subscribe, announcing nothing yet. */
  async connect(): Promise<void> {
    const offline: NodeState = { ...this.identity(), state: 'offline', reason: 'connection lost (last will)' };
    this.link = this.options.link({
      clientId: `strata-${this.tree}-${this.id}`,
      will: { topic: topic(this.tree, this.id, 'state'), payload: encodePayload(offline), qos: 1, retain: true },
    });
    this.link.onMessage((t, payload, retained) => this.onMessage(t, payload, retained));
    await this.link.connect();
    await this.link.subscribe([...this.subscriptions()]);
    let lost = false;
    this.link.events$.subscribe((e) => {
      if (e.type === 'offline' && this.running && !lost) {
        lost = true;
        this.log.warn('lost the broker connection; reconnecting with backoff');
        this.callLinkHook('lost');
      }
      if (e.type === 'connect' && this.running) {
        // After a reconnect the broker may have lost our retained birth: announce it again.
        this.out.publish(topic(this.tree, this.id, 'state'), this.birth(), 1, true);
        if (lost) {
          lost = false;
          this.log.info('broker connection restored; birth announced again');
          this.callLinkHook('restored');
        }
      }
    });
  }

  /** Second half of start: announce the birth and start the cycle and heartbeat timers. */
  begin(): void {
    this.running = true;
    this.out.publish(topic(this.tree, this.id, 'state'), this.birth(), 1, true);
    if (this.parts.start) {
      Promise.resolve()
        .then(() => this.parts.start!())
        .catch((err: Error) => {
          this.stats.faults++;
          this.log.error(`start() of ${this.id} failed: ${err.message}`);
        });
    }
    this.schedulePeriodic(this.clock.now());
    this.scheduleHealth();
  }

  private callLinkHook(state: 'lost' | 'restored'): void {
    try {
      this.parts.link?.(state, this.clock.now());
    } catch (err) {
      this.stats.faults++;
      this.log.error(`link(${state}) of ${this.id} threw: ${(err as Error).message}`);
    }
  }

  /** Stops cycling, ends the current task, announces `offline` and disconnects. */
  async stop(reason = 'node stopped'): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopped = true;
    this.loop?.stop();
    this.healthTimer?.cancel();
    this.wakeTimer?.cancel();
    const ended = this.tasks.end('failed', `${this.id} stopped: ${reason}`, this.clock.now());
    const waits: Promise<void>[] = [];
    if (ended) waits.push(this.out.publishAndWait(topic(this.tree, this.id, 'status'), ended, 1, true));
    try {
      await this.parts.stop?.();
    } catch (err) {
      this.log.warn(`stop() of ${this.id} threw: ${(err as Error).message}`);
    }
    const off: NodeState = { ...this.identity(), state: 'offline', t: this.clock.now(), reason };
    waits.push(this.out.publishAndWait(topic(this.tree, this.id, 'state'), off, 1, true));
    await Promise.allSettled(waits);
    await this.link.end();
  }

  /** Simulates a crash: the connection drops without a goodbye, so the broker publishes the last will. */
  crash(): void {
    this.running = false;
    this.stopped = true;
    this.loop?.stop();
    this.healthTimer?.cancel();
    this.wakeTimer?.cancel();
    this.link.kill();
  }

  /** Lockstep: true when a message that wakes this node is waiting. */
  wantsWake(): boolean {
    return this.running && this.wakePending;
  }

  /** Lockstep: run the woken cycle now. */
  runWake(): void {
    this.wakePending = false;
    this.cycle();
  }

  isRunning(): boolean {
    return this.running;
  }

  /** The node's world model, for viewers, reporters and tests in the same process (read it, don't change it). */
  worldModel(): unknown {
    return this.world;
  }

  /** The kind this node runs. */
  kindName(): string {
    return this.options.kind.kind;
  }

  /** The topics this node subscribes to (also used by the lockstep driver to count deliveries). */
  *subscriptions(): Iterable<{ topic: string; qos: 0 | 1 }> {
    yield { topic: topic(this.tree, this.id, 'cmd'), qos: 1 };
    if (this.spec.siblings.length > 0) yield { topic: topic(this.tree, this.id, 'peer'), qos: 1 };
    for (const c of this.spec.children) {
      yield { topic: topic(this.tree, c, 'state'), qos: 1 };
      yield { topic: topic(this.tree, c, 'status'), qos: 1 };
      yield { topic: topic(this.tree, c, 'sense'), qos: 0 };
    }
    if (this.spec.parent) {
      yield { topic: topic(this.tree, this.spec.parent, 'state'), qos: 1 };
      yield { topic: topic(this.tree, this.spec.parent, 'health'), qos: 0 };
    }
  }

  // ---- inputs -------------------------------------------------------------

  private onMessage(t: string, payload: Buffer, retained: boolean): void {
    if (this.stopped) return;
    // Free-running, the message is taken in now (a command is acknowledged at once);
    // lockstep holds it in an inbox until the cycle, for a reproducible order.
    if (!this.inputs.take(t, payload, retained)) return;
    if (!this.options.driven && !this.inCycle && this.running && this.inputs.runsNow(t)) {
      // A command or a child's status runs now, in the handler that received it: no
      // event-loop turn between it and its consequences (the child's command, the status).
      this.cycle();
      return;
    }
    this.requestWake();
  }

  private requestWake(): void {
    if (this.options.driven) this.wakePending = true;
    else if (!this.wakeTimer) {
      this.wakeTimer = this.clock.setTimer(0, () => {
        this.wakeTimer = undefined;
        if (this.running) this.cycle();
      });
    }
  }

  // ---- the cycle ------------------------------------------------------------

  private schedulePeriodic(start: number): void {
    // Absolute deadlines (no drift); in real time the loop sleeps, then spins for the
    // last stretch, and skips whole periods it fell behind rather than bursting.
    this.loop = createPeriodicLoop(
      this.clock,
      this.spec.periodMs,
      (tick) => {
        if (!this.running) return;
        if (this.clock.mode === 'real') this.stats.recordLate(tick.late, tick.missed);
        this.cycle();
      },
      { firstAt: start },
    );
  }

  private scheduleHealth(): void {
    const beat = (): void => {
      if (!this.running) return;
      this.out.publish(topic(this.tree, this.id, 'health'), this.health(), 0, false);
      this.healthTimer = this.clock.setTimer(this.spec.heartbeatMs, beat);
    };
    this.healthTimer = this.clock.setTimer(this.spec.heartbeatMs, beat);
  }

  /** One RCS cycle. Never throws: a fault in a part ends the task `failed` and is reported. */
  private cycle(): void {
    if (!this.running) return;
    const elapsed = this.options.stopwatch();
    this.inCycle = true;
    this.wakePending = false;
    if (this.options.driven) this.inputs.drain();
    const now = this.clock.now();
    const active = this.tasks.active();
    const { events, peers } = this.inputs.takeForCycle();
    // New commands the children never acknowledged: send them again, or give up on them.
    const acks = this.childTracker.checkAcks(now);
    for (const { child, command } of acks.resend) {
      this.log.warn(`${child} has not acknowledged ${command.verb} "${command.id}" (serial ${command.serial}); sending it again`);
      this.out.publish(topic(this.tree, child, 'cmd'), command, 1, false);
    }
    if (acks.events.length > 0) events.push(...acks.events);
    const input: CycleInput = {
      now,
      cycle: this.cycleNo++,
      task: active ? ({ id: active.id, serial: active.serial, from: active.from, verb: active.verb, args: active.args, receivedAt: active.receivedAt, updatedAt: active.updatedAt } as never) : undefined,
      children: this.childTracker.views(),
      parent: { online: this.inputs.parentOnline, lastHeardAt: this.inputs.parentHeardAt },
      peers,
      events,
    };
    let out: BehaviorOutput;
    try {
      const percept = this.parts.perceive ? this.parts.perceive(input as never, this.world) : undefined;
      if (this.parts.update) this.world = this.parts.update(this.world, percept, input as never);
      const scores = this.parts.judge ? this.parts.judge(this.world, input as never) : undefined;
      out = this.parts.behave(this.world, scores, input as never);
    } catch (err) {
      this.stats.faults++;
      const reason = `${this.id} (${this.options.kind.kind}) failed in its cycle: ${(err as Error).message}`;
      this.log.error(reason, { stack: (err as Error).stack });
      this.out.publish(topic(this.tree, this.id, 'error'), { v: 1, node: this.id, t: now, topic: topic(this.tree, this.id, 'cmd'), reason, issues: [] }, 0, false);
      out = active ? { status: { state: 'failed', reason } } : {};
    }
    this.out.write(this.stopSubtreeOfAbortedTask(out), now);
    const held = this.inputs.heldReceived;
    if (held) {
      // The cycle left the new task as it came (no report): say it was received after all.
      if (this.tasks.latest()?.id === held.id && this.tasks.latest()?.state === 'received') this.out.publishStatus(held);
      this.inputs.heldReceived = undefined;
    }
    this.inCycle = false;
    this.stats.recordExec(elapsed());
  }

  /**
   * An abort stops what the task set in motion: while the node's last task ended
   * `aborted` (an abort command, or its parent gone) and no new one runs, a child still
   * busy with a command that behavior generation no longer gives is sent an abort. A
   * child behavior generation does command (a `hold`, a `stop`) is left to it.
   */
  private stopSubtreeOfAbortedTask(out: BehaviorOutput): BehaviorOutput {
    if (this.tasks.active() || this.tasks.latest()?.state !== 'aborted') return out;
    const given = out.commands ?? {};
    const orphans = this.childTracker.busy().filter((c) => !(c in given));
    if (orphans.length === 0) return out;
    return { ...out, commands: { ...given, ...Object.fromEntries(orphans.map((c) => [c, undefined])) } };
  }

  // ---- birth and health ---------------------------------------------------

  private identity(): Omit<NodeState, 'state'> {
    return identityOf(this.spec, this.options.kind.kind, this.options.session);
  }

  private birth(): NodeState {
    const points = this.options.kind.points?.(this.params, this.world);
    return birthOf(this.spec, this.options.kind.kind, Object.keys(this.options.kind.verbs), this.options.session, this.clock.now(), points);
  }

  /** The current heartbeat payload. */
  health(): Health {
    const detail: Record<string, Json> = { ...(this.out.healthDetail ?? {}), ...this.timing.detail(this.clock.now()) };
    const resends = this.childTracker.resendCount();
    if (resends > 0) detail.command_resends = resends;
    return healthOf(this.spec, this.options.session, this.clock.now(), this.clock.mode === 'real', this.stats, this.tasks.latest(), this.tasks.duplicateCount(), detail);
  }
}

import { commandSchema } from '../contracts/command.js';
import type { Json } from '../contracts/ids.js';
import type { Health } from '../contracts/health.js';
import { peerSchema } from '../contracts/peer.js';
import { senseSchema } from '../contracts/sense.js';
import { stateSchema, type NodeState } from '../contracts/state.js';
import { statusSchema, type Status } from '../contracts/status.js';
import type { MqttLink } from '../link/mqtt-link.js';
import type { Logger } from '../log/logger.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import type { Random } from '../time/random.js';
import { DEFAULT_MAX_PAYLOAD, decodePayload, encodePayload, rejection } from '../wire/codec.js';
import { parseTopic, topic } from '../wire/topics.js';
import { createPeriodicLoop, type PeriodicLoop } from '../time/periodic-loop.js';
import { ChildTracker } from './child-tracker.js';
import { CycleStats } from './cycle-stats.js';
import type { AnyNodeKind, BehaviorOutput, CycleInput, NodeContext, NodeEvent, NodeParts, PeerInput } from './node-kind.js';
import { TaskTracker } from './task-tracker.js';
import { TimingContract } from './timing-contract.js';
import { birthOf, healthOf, identityOf } from './node-payloads.js';

/** Where a node sits in the tree and how it is timed: what the config says about it. */
export interface NodeSpec {
  id: string;
  kind: string;
  parent: string | null;
  children: string[];
  siblings: string[];
  level: number;
  periodMs: number;
  horizonMs: number;
  replanMs: number;
  parentPeriodMs: number;
  heartbeatMs: number;
  params: unknown;
  /** Folder of the config file (files named in params are relative to it). */
  baseDir: string;
  /** What to do with the current command when the parent goes offline (default: stop). */
  onParentLost?: 'stop' | 'continue';
}

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

interface Inbound {
  topic: string;
  payload: Buffer;
  retained: boolean;
}

type Route = (msg: Inbound) => void;

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
  private readonly routes = new Map<string, Route>();
  private readonly wakeTopics = new Set<string>();
  private readonly maxPayload: number;
  private cmdTopic = '';
  private link!: MqttLink;
  private world: unknown;
  private inbox: Inbound[] = [];
  private events: NodeEvent[] = [];
  private peers: PeerInput[] = [];
  private parentOnline = false;
  private parentHeardAt: number | undefined;
  private senseSeq = 0;
  private wakePending = false;
  private wakeTimer: TimerHandle | undefined;
  private loop: PeriodicLoop | undefined;
  private healthTimer: TimerHandle | undefined;
  private running = false;
  private stopped = false;
  private cycleNo = 0;
  private lastStatusAt = Number.NEGATIVE_INFINITY;
  private heldReceived: Status | undefined;
  private inCycle = false;
  private pendingContentStatus: Status | undefined;
  private healthDetail: Record<string, Json> | undefined;
  private readonly timing: TimingContract;
  private readonly params: unknown;
  private readonly lastChildStatus = new Map<string, Status>();

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
    this.buildRoutes();
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
        this.publish(topic(this.tree, this.id, 'state'), this.birth(), 1, true);
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
    this.publish(topic(this.tree, this.id, 'state'), this.birth(), 1, true);
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
    if (ended) waits.push(this.publishAndWait(topic(this.tree, this.id, 'status'), ended, 1, true));
    try {
      await this.parts.stop?.();
    } catch (err) {
      this.log.warn(`stop() of ${this.id} threw: ${(err as Error).message}`);
    }
    const off: NodeState = { ...this.identity(), state: 'offline', t: this.clock.now(), reason };
    waits.push(this.publishAndWait(topic(this.tree, this.id, 'state'), off, 1, true));
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
    if (this.options.driven) {
      this.inbox.push({ topic: t, payload, retained });
    } else {
      // Free-running: take the message in now (a command is acknowledged at once);
      // only lockstep needs an inbox, to put messages in a reproducible order.
      this.route({ topic: t, payload, retained });
    }
    const wakes = this.wakeTopics.has(t) || (t.startsWith(`strata/${this.tree}/${this.id}/peer/`) && this.options.kind.wakeOn?.peer !== false);
    if (!wakes) return;
    if (!this.options.driven && t === this.cmdTopic && !this.inCycle && this.running) {
      // A command runs now, in the handler that received it: no event-loop turn between
      // a command and its first consequences (the child's command, the status).
      this.cycle();
      return;
    }
    this.requestWake();
  }

  private buildRoutes(): void {
    const t = (node: string, ch: 'cmd' | 'state' | 'status' | 'sense' | 'health'): string => topic(this.tree, node, ch);
    const cmdTopic = t(this.id, 'cmd');
    this.cmdTopic = cmdTopic;
    this.routes.set(cmdTopic, (m) => this.onCommand(m));
    this.wakeTopics.add(cmdTopic);
    const wake = this.options.kind.wakeOn ?? {};
    for (const c of this.spec.children) {
      this.routes.set(t(c, 'state'), (m) => this.decode(m, stateSchema, (s) => this.events.push(...this.childTracker.onState(c, s))));
      this.routes.set(t(c, 'status'), (m) =>
        this.decode(m, statusSchema, (s) => {
          this.lastChildStatus.set(c, s);
          this.events.push(...this.childTracker.onStatus(c, s));
        }),
      );
      this.routes.set(t(c, 'sense'), (m) => this.decode(m, senseSchema, (s) => this.childTracker.onSense(c, s)));
      if (wake.childState !== false) this.wakeTopics.add(t(c, 'state'));
      if (wake.childStatus !== false) this.wakeTopics.add(t(c, 'status'));
      if (wake.childSense === true) this.wakeTopics.add(t(c, 'sense'));
    }
    const p = this.spec.parent;
    if (p) {
      this.routes.set(t(p, 'state'), (m) =>
        this.decode(m, stateSchema, (s) => {
          const was = this.parentOnline;
          this.parentOnline = s.state === 'online';
          if (this.parentOnline) this.parentHeardAt = this.clock.now();
          if (was && !this.parentOnline) this.onParentLost(p, s.reason ?? 'offline');
        }),
      );
      // Heartbeats only prove the parent is alive; their content is not needed here.
      this.routes.set(t(p, 'health'), () => {
        this.parentHeardAt = this.clock.now();
      });
    }
  }

  /** The parent died: by default stop the current command (the safe choice) and say why. */
  private onParentLost(parent: string, why: string): void {
    this.events.push({ type: 'parent-offline', parent, reason: why });
    if ((this.spec.onParentLost ?? 'stop') !== 'stop') {
      this.log.warn(`parent ${parent} went offline (${why}); carrying on with the current command (on_parent_lost: continue)`);
      return;
    }
    const ended = this.tasks.end('aborted', `parent ${parent} went offline (${why}); stopped safely and waiting for a command`, this.clock.now());
    if (ended) {
      this.log.warn(ended.reason);
      this.publishStatus(ended);
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

  private onCommand(m: Inbound): void {
    if (m.retained) {
      this.reject(m.topic, 'a retained command was refused: it would run again on every restart; publish commands without the retain flag', m.payload);
      return;
    }
    this.decode(m, commandSchema, (cmd) => {
      if (cmd.from === this.spec.parent) this.parentHeardAt = this.clock.now();
      const r = this.tasks.receive(cmd, this.clock.now());
      for (const e of r.errors) {
        this.stats.rejected++;
        this.publish(topic(this.tree, this.id, 'error'), { v: 1, node: this.id, t: this.clock.now(), topic: m.topic, reason: e.reason, issues: e.issues }, 0, false);
      }
      for (const s of r.statuses) {
        // A new task is executed in this very cycle (or, in real time, at once): its
        // `received` would be superseded within microseconds, so only the status after
        // the cycle goes out. That saves a message per hop on the way down.
        if (s.state === 'received') this.heldReceived = s;
        else this.publishStatus(s);
      }
      if (r.rebirth) this.publish(topic(this.tree, this.id, 'state'), this.birth(), 1, true);
      this.events.push(...r.events);
    });
  }

  private decode<T>(m: Inbound, schema: import('zod').ZodType<T>, use: (value: T) => void): void {
    if (m.payload.length === 0) return; // a cleared retained message
    const d = decodePayload(schema, m.payload, this.maxPayload);
    if (!d.ok) {
      this.stats.rejected++;
      this.log.warn(`rejected a message on ${m.topic}: ${d.reason}`);
      this.publish(topic(this.tree, this.id, 'error'), rejection(this.id, this.clock.now(), m.topic, d), 0, false);
      return;
    }
    use(d.value);
  }

  private reject(topicName: string, reason: string, payload: Buffer): void {
    this.stats.rejected++;
    this.log.warn(`rejected a message on ${topicName}: ${reason}`);
    this.publish(topic(this.tree, this.id, 'error'), { v: 1, node: this.id, t: this.clock.now(), topic: topicName, reason, issues: [], sample: payload.toString('utf8', 0, 200) }, 0, false);
  }

  private drainInbox(): void {
    const msgs = this.inbox;
    if (msgs.length === 0) return;
    this.inbox = [];
    // Messages from different connections may arrive in any order; sort by topic
    // (stable, so one publisher's order on a topic is kept) to make runs reproducible.
    if (this.options.driven && msgs.length > 1) msgs.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
    for (const m of msgs) this.route(m);
  }

  private route(m: Inbound): void {
    const route = this.routes.get(m.topic);
    if (route) {
      route(m);
      return;
    }
    const parsed = parseTopic(m.topic);
    if (parsed?.channel === 'peer' && parsed.node === this.id) {
      this.decode(m, peerSchema, (p) => {
        if (!this.spec.siblings.includes(p.from) || p.from !== parsed.from) {
          this.reject(m.topic, `peer message from "${p.from}" on ${m.topic}: only siblings (${this.spec.siblings.join(', ') || 'none'}) may send, on their own peer/<from> topic`, m.payload);
          return;
        }
        this.peers.push({ from: p.from, kind: p.kind, body: p.body, t: p.t });
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
      this.publish(topic(this.tree, this.id, 'health'), this.health(), 0, false);
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
    this.drainInbox();
    const now = this.clock.now();
    const active = this.tasks.active();
    const input: CycleInput = {
      now,
      cycle: this.cycleNo++,
      task: active ? ({ id: active.id, serial: active.serial, from: active.from, verb: active.verb, args: active.args, receivedAt: active.receivedAt, updatedAt: active.updatedAt } as never) : undefined,
      children: this.childTracker.views(),
      parent: { online: this.parentOnline, lastHeardAt: this.parentHeardAt },
      peers: this.peers,
      events: this.events,
    };
    this.peers = [];
    this.events = [];
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
      this.publish(topic(this.tree, this.id, 'error'), { v: 1, node: this.id, t: now, topic: topic(this.tree, this.id, 'cmd'), reason, issues: [] }, 0, false);
      out = active ? { status: { state: 'failed', reason } } : {};
    }
    this.write(out, now);
    if (this.heldReceived) {
      // The cycle left the new task as it came (no report): say it was received after all.
      if (this.tasks.latest()?.id === this.heldReceived.id && this.tasks.latest()?.state === 'received') this.publishStatus(this.heldReceived);
      this.heldReceived = undefined;
    }
    this.inCycle = false;
    this.stats.recordExec(elapsed());
  }

  private write(out: BehaviorOutput, now: number): void {
    for (const { child, command } of this.childTracker.takeResends()) {
      this.log.info(`${child} reconnected; sending ${command.verb} "${command.id}" (serial ${command.serial}) again in case it was lost`);
      this.publish(topic(this.tree, child, 'cmd'), command, 1, false);
    }
    if (out.commands) {
      try {
        for (const { child, command } of this.childTracker.reconcile(out.commands, now)) {
          this.publish(topic(this.tree, child, 'cmd'), command, 1, false);
        }
      } catch (err) {
        this.stats.faults++;
        this.log.error((err as Error).message);
      }
    }
    if (out.sense) {
      this.publish(topic(this.tree, this.id, 'sense'), { v: 1, node: this.id, t: now, seq: this.senseSeq++, values: out.sense }, 0, false);
    }
    for (const p of out.peers ?? []) {
      if (!this.spec.siblings.includes(p.to)) {
        this.log.error(`${this.id} tried to send a peer message to "${p.to}", which is not a sibling`);
        continue;
      }
      this.publish(topic(this.tree, p.to, 'peer', this.id), { v: 1, from: this.id, t: now, kind: p.kind, body: p.body }, 1, false);
    }
    for (const e of out.errors ?? []) {
      this.publish(topic(this.tree, this.id, 'error'), { v: 1, node: this.id, t: now, topic: e.topic, reason: e.reason, issues: [] }, 0, false);
    }
    if (out.health) this.healthDetail = out.health;
    this.timing.observe(out, now, this.tasks.active() !== undefined);
    const r = this.tasks.report(out.status, now);
    if (r.status) {
      if (r.changed === 'state' || now - this.lastStatusAt >= this.spec.periodMs) {
        this.publishStatus(r.status);
        this.pendingContentStatus = undefined;
      } else {
        this.pendingContentStatus = r.status;
      }
    } else if (this.pendingContentStatus && now - this.lastStatusAt >= this.spec.periodMs) {
      this.publishStatus({ ...this.pendingContentStatus, t: now });
      this.pendingContentStatus = undefined;
    }
  }

  private publishStatus(s: Status): void {
    this.lastStatusAt = s.t;
    this.publish(topic(this.tree, this.id, 'status'), s, 1, true);
  }

  /** Sends a message (no promise per message: this is the hot path). */
  private publish(t: string, value: unknown, qos: 0 | 1, retain: boolean): void {
    const payload = encodePayload(value);
    this.options.onPublish?.(t, payload);
    this.link.send(t, payload, { qos, retain }, (err) => {
      if (err) this.log.debug(`publish on ${t} failed: ${err.message}`);
    });
  }

  /** Sends a message and resolves when the broker has it (or the publish failed, which is logged). */
  private publishAndWait(t: string, value: unknown, qos: 0 | 1, retain: boolean): Promise<void> {
    const payload = encodePayload(value);
    this.options.onPublish?.(t, payload);
    return this.link.publish(t, payload, { qos, retain }).catch((err: Error) => {
      this.log.debug(`publish on ${t} failed: ${err.message}`);
    });
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
    const detail: Record<string, Json> = { ...(this.healthDetail ?? {}), ...this.timing.detail(this.clock.now()) };
    return healthOf(this.spec, this.options.session, this.clock.now(), this.clock.mode === 'real', this.stats, this.tasks.latest(), this.tasks.duplicateCount(), detail);
  }
}

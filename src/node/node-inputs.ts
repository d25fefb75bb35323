import type { z } from 'zod';
import { commandSchema } from '../contracts/command.js';
import { peerSchema } from '../contracts/peer.js';
import { senseSchema } from '../contracts/sense.js';
import { stateSchema } from '../contracts/state.js';
import { statusSchema, type Status } from '../contracts/status.js';
import type { ErrorMessage } from '../contracts/error.js';
import type { Logger } from '../log/logger.js';
import type { Clock } from '../time/clock.js';
import { decodePayload, rejection } from '../wire/codec.js';
import { parseTopic, topic } from '../wire/topics.js';
import type { ChildTracker } from './child-tracker.js';
import type { CycleStats } from './cycle-stats.js';
import type { NodeEvent, PeerInput } from './node-kind.js';
import type { NodeSpec } from './node-spec.js';
import type { TaskTracker } from './task-tracker.js';

/** What the input side asks of the runtime: messages out, and a cycle soon. */
export interface InputHost {
  publishError(message: ErrorMessage): void;
  publishStatus(status: Status): void;
  announceBirth(): void;
  requestWake(): void;
}

export interface NodeInputsOptions {
  tree: string;
  spec: NodeSpec;
  /** Which inputs wake the node (the kind's `wakeOn`). */
  wakeOn: { childState?: boolean; childStatus?: boolean; childSense?: boolean; peer?: boolean };
  clock: Clock;
  log: Logger;
  tasks: TaskTracker;
  children: ChildTracker;
  stats: CycleStats;
  maxPayload: number;
  /** Lockstep: hold messages until the cycle, then take them in a reproducible order. */
  driven: boolean;
  host: InputHost;
}

interface Inbound {
  topic: string;
  payload: Buffer;
  retained: boolean;
}

/**
 * A node's input side: every subscribed topic is routed to its decoder (a zod schema
 * at the edge), and what it says lands in the task tracker (commands), the child tracker
 * (children's births, statuses and sensations), the parent's liveness, or the events
 * and peer messages the next cycle reads. A bad message is rejected on `error`, never
 * thrown. In lockstep, messages wait in an inbox and are taken in topic order.
 */
export class NodeInputs {
  readonly cmdTopic: string;
  parentOnline = false;
  parentHeardAt: number | undefined;
  /** A new task's `received`, held back: its first cycle's status supersedes it (see the runtime). */
  heldReceived: Status | undefined;
  private events: NodeEvent[] = [];
  private peers: PeerInput[] = [];
  private inbox: Inbound[] = [];
  private readonly routes = new Map<string, (m: Inbound) => void>();
  private readonly wakeTopics = new Set<string>();
  /** Free-running, these run the cycle in the handler that received them: commands, and children's statuses. */
  private readonly nowTopics = new Set<string>();
  private readonly peerPrefix: string;

  constructor(private readonly o: NodeInputsOptions) {
    this.cmdTopic = topic(o.tree, o.spec.id, 'cmd');
    this.peerPrefix = `strata/${o.tree}/${o.spec.id}/peer/`;
    this.buildRoutes();
  }

  /** Takes one message in (or queues it, in lockstep); true when it should wake the node. */
  take(t: string, payload: Buffer, retained: boolean): boolean {
    if (this.o.driven) this.inbox.push({ topic: t, payload, retained });
    else this.route({ topic: t, payload, retained });
    return this.wakeTopics.has(t) || (t.startsWith(this.peerPrefix) && this.o.wakeOn.peer !== false);
  }

  /**
   * Whether a message on `t` should run the cycle at once rather than on the next turn of
   * the event loop: a command (its child command and status go out with no turn between)
   * and a child's status (a child that is done lets the parent go on at once; on a
   * 4-level chain this took an event-loop turn, and a socket write of its own, per hop).
   * Sensations and the rest are gathered and taken together on the next turn.
   */
  runsNow(t: string): boolean {
    return this.nowTopics.has(t);
  }

  /** Lockstep: takes in the queued messages, sorted by topic (stable, so one publisher's order on a topic is kept). */
  drain(): void {
    const msgs = this.inbox;
    if (msgs.length === 0) return;
    this.inbox = [];
    if (msgs.length > 1) msgs.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
    for (const m of msgs) this.route(m);
  }

  /** The events and peer messages gathered since the last cycle (and forgets them). */
  takeForCycle(): { events: NodeEvent[]; peers: PeerInput[] } {
    const out = { events: this.events, peers: this.peers };
    this.events = [];
    this.peers = [];
    return out;
  }

  private route(m: Inbound): void {
    const route = this.routes.get(m.topic);
    if (route) {
      route(m);
      return;
    }
    const parsed = parseTopic(m.topic);
    if (parsed?.channel === 'peer' && parsed.node === this.o.spec.id) {
      this.decode(m, peerSchema, (p) => {
        const siblings = this.o.spec.siblings;
        if (!siblings.includes(p.from) || p.from !== parsed.from) {
          this.reject(m.topic, `peer message from "${p.from}" on ${m.topic}: only siblings (${siblings.join(', ') || 'none'}) may send, on their own peer/<from> topic`, m.payload);
          return;
        }
        this.peers.push({ from: p.from, kind: p.kind, body: p.body, t: p.t });
      });
    }
  }

  private buildRoutes(): void {
    const { tree, spec, wakeOn, children } = this.o;
    const t = (node: string, ch: 'state' | 'status' | 'sense' | 'health'): string => topic(tree, node, ch);
    this.routes.set(this.cmdTopic, (m) => this.onCommand(m));
    this.wakeTopics.add(this.cmdTopic);
    this.nowTopics.add(this.cmdTopic);
    for (const c of spec.children) {
      this.routes.set(t(c, 'state'), (m) => this.decode(m, stateSchema, (s) => this.events.push(...children.onState(c, s))));
      this.routes.set(t(c, 'status'), (m) => this.decode(m, statusSchema, (s) => this.events.push(...children.onStatus(c, s))));
      this.routes.set(t(c, 'sense'), (m) => this.decode(m, senseSchema, (s) => children.onSense(c, s)));
      if (wakeOn.childState !== false) this.wakeTopics.add(t(c, 'state'));
      if (wakeOn.childStatus !== false) {
        this.wakeTopics.add(t(c, 'status'));
        this.nowTopics.add(t(c, 'status'));
      }
      if (wakeOn.childSense === true) this.wakeTopics.add(t(c, 'sense'));
    }
    const p = spec.parent;
    if (p) {
      this.routes.set(t(p, 'state'), (m) =>
        this.decode(m, stateSchema, (s) => {
          const was = this.parentOnline;
          this.parentOnline = s.state === 'online';
          if (this.parentOnline) this.parentHeardAt = this.o.clock.now();
          if (was && !this.parentOnline) this.onParentLost(p, s.reason ?? 'offline');
        }),
      );
      // Heartbeats only prove the parent is alive; their content is not needed here.
      this.routes.set(t(p, 'health'), () => {
        this.parentHeardAt = this.o.clock.now();
      });
    }
  }

  private onCommand(m: Inbound): void {
    if (m.retained) {
      this.reject(m.topic, 'a retained command was refused: it would run again on every restart; publish commands without the retain flag', m.payload);
      return;
    }
    const { clock, spec, tasks, stats, host } = this.o;
    this.decode(m, commandSchema, (cmd) => {
      if (cmd.from === spec.parent) this.parentHeardAt = clock.now();
      const r = tasks.receive(cmd, clock.now());
      for (const e of r.errors) {
        stats.rejected++;
        host.publishError({ v: 1, node: spec.id, t: clock.now(), topic: m.topic, reason: e.reason, issues: e.issues });
      }
      for (const s of r.statuses) {
        // A new task is executed in this very cycle (or, in real time, at once): its
        // `received` would be superseded within microseconds, so only the status after
        // the cycle goes out. That saves a message per hop on the way down.
        if (s.state === 'received') this.heldReceived = s;
        else host.publishStatus(s);
      }
      if (r.rebirth) host.announceBirth();
      this.events.push(...r.events);
    });
  }

  /** The parent died: by default stop the current command (the safe choice) and say why. */
  private onParentLost(parent: string, why: string): void {
    const { spec, tasks, clock, log, host } = this.o;
    this.events.push({ type: 'parent-offline', parent, reason: why });
    if ((spec.onParentLost ?? 'stop') !== 'stop') {
      log.warn(`parent ${parent} went offline (${why}); carrying on with the current command (on_parent_lost: continue)`);
      return;
    }
    const ended = tasks.end('aborted', `parent ${parent} went offline (${why}); stopped safely and waiting for a command`, clock.now());
    if (ended) {
      log.warn(ended.reason);
      host.publishStatus(ended);
    }
    host.requestWake();
  }

  private decode<T>(m: Inbound, schema: z.ZodType<T>, use: (value: T) => void): void {
    if (m.payload.length === 0) return; // a cleared retained message
    const d = decodePayload(schema, m.payload, this.o.maxPayload);
    if (!d.ok) {
      this.o.stats.rejected++;
      this.o.log.warn(`rejected a message on ${m.topic}: ${d.reason}`);
      this.o.host.publishError(rejection(this.o.spec.id, this.o.clock.now(), m.topic, d));
      return;
    }
    use(d.value);
  }

  private reject(topicName: string, reason: string, payload: Buffer): void {
    this.o.stats.rejected++;
    this.o.log.warn(`rejected a message on ${topicName}: ${reason}`);
    this.o.host.publishError({ v: 1, node: this.o.spec.id, t: this.o.clock.now(), topic: topicName, reason, issues: [], sample: payload.toString('utf8', 0, 200) });
  }
}

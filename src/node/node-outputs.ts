import type { Json } from '../contracts/ids.js';
import type { Status } from '../contracts/status.js';
import type { MqttLink } from '../link/mqtt-link.js';
import type { Logger } from '../log/logger.js';
import { encodePayload } from '../wire/codec.js';
import { topic } from '../wire/topics.js';
import type { ChildTracker } from './child-tracker.js';
import type { CycleStats } from './cycle-stats.js';
import type { BehaviorOutput } from './node-kind.js';
import type { NodeSpec } from './node-spec.js';
import type { TaskTracker } from './task-tracker.js';
import type { TimingContract } from './timing-contract.js';

export interface NodeOutputsOptions {
  tree: string;
  spec: NodeSpec;
  log: Logger;
  /** The node's link (made when the node connects). */
  link: () => MqttLink;
  /** Called for every message this node publishes (trace, digest). */
  onPublish?: (topic: string, payload: string) => void;
  tasks: TaskTracker;
  children: ChildTracker;
  timing: TimingContract;
  stats: CycleStats;
}

/**
 * A node's output side: what a cycle decided goes out on the wire — commands to the
 * children (reconciled, so a command is sent when it changes, not every cycle),
 * sensations with their sequence number, peer messages, errors, and the status, which
 * goes out at once when its state changes and at most once a period when only its
 * content (progress, plan, detail) does. Every message is encoded here, once.
 */
export class NodeOutputs {
  /** The kind's latest health detail, for the heartbeat. */
  healthDetail: Record<string, Json> | undefined;
  private senseSeq = 0;
  private lastStatusAt = Number.NEGATIVE_INFINITY;
  private pendingContentStatus: Status | undefined;

  constructor(private readonly o: NodeOutputsOptions) {}

  /** What behavior generation asked for, out on the wire: commands, sensations, peer messages, errors, the status. */
  write(out: BehaviorOutput, now: number): void {
    for (const { child, command } of this.o.children.takeResends()) {
      this.o.log.info(`${child} reconnected; sending ${command.verb} "${command.id}" (serial ${command.serial}) again in case it was lost`);
      this.publish(topic(this.o.tree, child, 'cmd'), command, 1, false);
    }
    if (out.commands) {
      try {
        for (const { child, command } of this.o.children.reconcile(out.commands, now)) {
          this.publish(topic(this.o.tree, child, 'cmd'), command, 1, false);
        }
      } catch (err) {
        this.o.stats.faults++;
        this.o.log.error((err as Error).message);
      }
    }
    if (out.sense) {
      this.publish(topic(this.o.tree, this.o.spec.id, 'sense'), { v: 1, node: this.o.spec.id, t: now, seq: this.senseSeq++, values: out.sense }, 0, false);
    }
    for (const p of out.peers ?? []) {
      if (!this.o.spec.siblings.includes(p.to)) {
        this.o.log.error(`${this.o.spec.id} tried to send a peer message to "${p.to}", which is not a sibling`);
        continue;
      }
      this.publish(topic(this.o.tree, p.to, 'peer', this.o.spec.id), { v: 1, from: this.o.spec.id, t: now, kind: p.kind, body: p.body }, 1, false);
    }
    for (const e of out.errors ?? []) {
      this.publish(topic(this.o.tree, this.o.spec.id, 'error'), { v: 1, node: this.o.spec.id, t: now, topic: e.topic, reason: e.reason, issues: [] }, 0, false);
    }
    if (out.health) this.healthDetail = out.health;
    this.o.timing.observe(out, now, this.o.tasks.active() !== undefined);
    const r = this.o.tasks.report(out.status, now);
    if (r.status) {
      if (r.changed === 'state' || now - this.lastStatusAt >= this.o.spec.periodMs) {
        this.publishStatus(r.status);
        this.pendingContentStatus = undefined;
      } else {
        this.pendingContentStatus = r.status;
      }
    } else if (this.pendingContentStatus && now - this.lastStatusAt >= this.o.spec.periodMs) {
      this.publishStatus({ ...this.pendingContentStatus, t: now });
      this.pendingContentStatus = undefined;
    }
  }

  /** Publishes the node's status (retained) and notes when, for the throttle. */
  publishStatus(s: Status): void {
    this.lastStatusAt = s.t;
    this.publish(topic(this.o.tree, this.o.spec.id, 'status'), s, 1, true);
  }

  /** Sends a message (no promise per message: this is the hot path). */
  publish(t: string, value: unknown, qos: 0 | 1, retain: boolean): void {
    const payload = encodePayload(value);
    this.o.onPublish?.(t, payload);
    this.o.link().send(t, payload, { qos, retain }, (err) => {
      if (err) this.o.log.debug(`publish on ${t} failed: ${err.message}`);
    });
  }

  /** Sends a message and resolves when the broker has it (or the publish failed, which is logged). */
  publishAndWait(t: string, value: unknown, qos: 0 | 1, retain: boolean): Promise<void> {
    const payload = encodePayload(value);
    this.o.onPublish?.(t, payload);
    return this.o.link().publish(t, payload, { qos, retain }).catch((err: Error) => {
      this.o.log.debug(`publish on ${t} failed: ${err.message}`);
    });
  }
}

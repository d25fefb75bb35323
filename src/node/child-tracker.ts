import type { Command } from '../contracts/command.js';
import { ABORT_VERB } from '../contracts/command.js';
import type { Json } from '../contracts/ids.js';
import type { Sense } from '../contracts/sense.js';
import type { NodeState } from '../contracts/state.js';
import type { Status } from '../contracts/status.js';
import { isTerminal } from '../contracts/status.js';
import type { ChildCommand, ChildCommandView, ChildView, NodeEvent } from './node-kind.js';
import { jsonEqual } from '../wire/json-equal.js';

interface ChildRecord {
  id: string;
  online: boolean;
  session: number | undefined;
  birth: NodeState | undefined;
  sense: Record<string, Json> | undefined;
  senseAt: number | undefined;
  senseSeq: number | undefined;
  senseSince: Array<Record<string, Json>>;
  senseGaps: number;
  command: (ChildCommandView & { lastSentAt: number }) | undefined;
  /** The last command sent to this child, exactly as sent (for a resend after a reconnect). */
  lastSent: Command | undefined;
}

/**
 * A parent's side of the protocol, as pure logic: what each child is doing, the
 * commands sent to it and their statuses, births and deaths. A child that dies or
 * restarts while running our command has that command ended `failed`, with the reason.
 */
export class ChildTracker {
  private readonly records = new Map<string, ChildRecord>();
  private serial = 0;
  private resends: Array<{ child: string; command: Command }> = [];

  constructor(
    private readonly self: string,
    children: readonly string[],
    private readonly session: number,
  ) {
    for (const id of children) {
      this.records.set(id, {
        id,
        online: false,
        session: undefined,
        birth: undefined,
        sense: undefined,
        senseAt: undefined,
        senseSeq: undefined,
        senseSince: [],
        senseGaps: 0,
        command: undefined,
        lastSent: undefined,
      });
    }
  }

  has(child: string): boolean {
    return this.records.has(child);
  }

  /** Applies a child's birth or death. */
  onState(child: string, state: NodeState): NodeEvent[] {
    const r = this.records.get(child);
    if (!r) return [];
    const events: NodeEvent[] = [];
    if (state.state === 'online') {
      const restarted = r.session !== undefined && r.session !== state.session;
      const c = r.command;
      if (!restarted && r.session !== undefined && c && r.lastSent && (c.state === 'sent' || !isTerminal(c.state))) {
        // The same session announced again: the child reconnected (e.g. after a broker
        // restart). What we sent while it was cut off may be lost: send it again, same id
        // and serial; the child executes it at most once and answers a duplicate with its status.
        this.resends.push({ child, command: r.lastSent });
      }
      if (restarted || !r.online) {
        if (restarted) events.push(...this.failCommand(r, `child ${child} restarted (new session ${state.session})`));
        events.push({ type: 'child-online', child, session: state.session });
      }
      r.online = true;
      r.session = state.session;
      r.birth = state;
    } else if (r.online || r.session === undefined) {
      r.online = false;
      const why = state.reason ?? 'offline';
      events.push(...this.failCommand(r, `child ${child} went offline: ${why}`));
      events.push({ type: 'child-offline', child, reason: why });
    }
    return events;
  }

  /** Applies a child's status; returns an event when our command's state changed. */
  onStatus(child: string, status: Status): NodeEvent[] {
    const r = this.records.get(child);
    const c = r?.command;
    if (!r || !c || c.id !== status.id) return [];
    if (isTerminal(c.state as never) && c.state !== 'sent') return [];
    const changed = c.state !== status.state || c.reason !== status.reason;
    r.command = { ...c, state: status.state, progress: status.progress, reason: status.reason, detail: status.detail, plan: status.plan };
    return changed ? [{ type: 'child-status', child, id: status.id, state: status.state, reason: status.reason }] : [];
  }

  /** Applies a sensation. */
  onSense(child: string, sense: Sense): void {
    const r = this.records.get(child);
    if (!r) return;
    if (r.senseSeq !== undefined && sense.seq > r.senseSeq + 1) r.senseGaps += sense.seq - r.senseSeq - 1;
    r.senseSeq = sense.seq;
    r.sense = sense.values;
    r.senseAt = sense.t;
    r.senseSince.push(sense.values);
  }

  /**
   * Compares what behavior generation wants each child doing with what it was told,
   * and returns the commands to send. Omitted children are left alone; `undefined`
   * stops the child's running command.
   */
  reconcile(desired: Readonly<Record<string, ChildCommand | undefined>>, now: number): Array<{ child: string; command: Command }> {
    const out: Array<{ child: string; command: Command }> = [];
    for (const [child, want] of Object.entries(desired)) {
      const r = this.records.get(child);
      if (!r) throw new Error(`${this.self}: behavior generation commanded "${child}", which is not a child of ${this.self}; children are: ${[...this.records.keys()].join(', ') || '(none)'}`);
      // Held until the child is online: sent to a child that is down (or not yet born),
      // a command would be lost with its connection; the next cycle sends it once it is back.
      if (!r.online) continue;
      const cur = r.command;
      const running = cur !== undefined && !isTerminal(cur.state as never);
      if (want === undefined) {
        if (cur && running) {
          const abort = this.make(`abort-${cur.id}`, ABORT_VERB, {}, now, cur.id);
          out.push({ child, command: abort });
          r.lastSent = abort;
          r.command = { ...cur, lastSentAt: now };
        }
        continue;
      }
      const args = want.args ?? {};
      if (!cur || cur.id !== want.id) {
        const cmd = this.make(want.id, want.verb, args, now);
        out.push({ child, command: cmd });
        r.lastSent = cmd;
        r.command = { id: want.id, serial: cmd.serial, verb: want.verb, args, state: 'sent', progress: 0, reason: '', detail: undefined, plan: undefined, sentAt: now, lastSentAt: now };
        continue;
      }
      if (!running) continue; // A finished task is not restarted under the same id: choose a new id.
      const argsChanged = want.verb !== cur.verb || !jsonEqual(args, cur.args);
      const refresh = want.refreshMs !== undefined && now - cur.lastSentAt >= want.refreshMs;
      if (argsChanged || refresh) {
        const cmd = this.make(want.id, want.verb, args, now);
        out.push({ child, command: cmd });
        r.lastSent = cmd;
        r.command = { ...cur, serial: cmd.serial, verb: want.verb, args, lastSentAt: now };
      }
    }
    return out;
  }

  /** Commands to send again because their child reconnected (drains the list). */
  takeResends(): Array<{ child: string; command: Command }> {
    const out = this.resends;
    this.resends = [];
    return out;
  }

  /** Snapshot for the cycle; clears the per-cycle sensation lists. */
  views(): Record<string, ChildView> {
    const out: Record<string, ChildView> = {};
    for (const r of this.records.values()) {
      out[r.id] = {
        id: r.id,
        online: r.online,
        session: r.session,
        birth: r.birth,
        sense: r.sense,
        senseAt: r.senseAt,
        senseSinceLastCycle: r.senseSince,
        senseGaps: r.senseGaps,
        command: r.command,
        points: r.birth?.points,
      };
      r.senseSince = [];
    }
    return out;
  }

  private failCommand(r: ChildRecord, reason: string): NodeEvent[] {
    const c = r.command;
    if (!c || (c.state !== 'sent' && isTerminal(c.state))) return [];
    r.command = { ...c, state: 'failed', reason };
    return [{ type: 'child-status', child: r.id, id: c.id, state: 'failed', reason }];
  }

  private make(id: string, verb: string, args: Record<string, unknown>, now: number, target?: string): Command {
    this.serial++;
    const cmd: Command = { v: 1, id, serial: this.serial, verb, args, from: this.self, session: this.session, t: now };
    if (target !== undefined) cmd.target = target;
    return cmd;
  }
}

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
  /**
   * A command not yet acknowledged: when to send it again, and how often it was. A new
   * command is acknowledged by any status for its id; an abort only by the end of the
   * command it stops (`ackNeedsEnd`).
   */
  ackDueAt: number | undefined;
  /** When the command (or the first abort) being waited on was sent. */
  ackSince: number;
  ackNeedsEnd: boolean;
  resends: number;
}

/**
 * How long a child may leave a new command unacknowledged (no status for its id), or an
 * abort unanswered (the command it stops has not ended), before the parent sends it
 * again: ACK_PERIODS of the child's period from its birth, at least ACK_MIN_MS; the wait
 * doubles with each re-send, and after ACK_MAX_RESENDS the command ends `failed`. A
 * status comes within a cycle of the command arriving, so this fires only when a broker
 * lost a QoS 1 message (a full queue, a bridge) or the child is stuck.
 */
export const ACK_PERIODS = 5;
export const ACK_MIN_MS = 1000;
export const ACK_MAX_RESENDS = 3;

/**
 * A parent's side of the protocol, as pure logic: what each child is doing, the
 * commands sent to it and their statuses, births and deaths. A child that dies or
 * restarts while running our command has that command ended `failed`, with the reason.
 */
export class ChildTracker {
  private readonly records = new Map<string, ChildRecord>();
  private serial = 0;
  private resends: Array<{ child: string; command: Command }> = [];
  private commandResends = 0;

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
        ackDueAt: undefined,
        ackSince: 0,
        ackNeedsEnd: false,
        resends: 0,
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
    if (!r.ackNeedsEnd || isTerminal(status.state)) r.ackDueAt = undefined;
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
          // Acknowledged when the command ends; behavior generation may stop asking
          // before then, so a lost abort is sent again like a lost new command.
          if (r.ackDueAt === undefined || !r.ackNeedsEnd) {
            r.ackDueAt = now + this.ackWait(r);
            r.ackSince = now;
            r.ackNeedsEnd = true;
            r.resends = 0;
          }
        }
        continue;
      }
      const args = want.args ?? {};
      if (!cur || cur.id !== want.id) {
        const cmd = this.make(want.id, want.verb, args, now);
        out.push({ child, command: cmd });
        r.lastSent = cmd;
        r.command = { id: want.id, serial: cmd.serial, verb: want.verb, args, state: 'sent', progress: 0, reason: '', detail: undefined, plan: undefined, sentAt: now, lastSentAt: now };
        r.ackDueAt = now + this.ackWait(r);
        r.ackSince = now;
        r.ackNeedsEnd = false;
        r.resends = 0;
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

  /**
   * New commands left unacknowledged, and aborts left unanswered, too long: the ones to
   * send again (same id and serial; the child runs a command at most once and answers a
   * repeat with its status), and `child-status` events for those given up on (ended
   * `failed`, with the reason).
   */
  checkAcks(now: number): { resend: Array<{ child: string; command: Command }>; events: NodeEvent[] } {
    const resend: Array<{ child: string; command: Command }> = [];
    const events: NodeEvent[] = [];
    for (const r of this.records.values()) {
      if (r.ackDueAt === undefined || now < r.ackDueAt) continue;
      const c = r.command;
      const sent = r.lastSent;
      const starting = c?.state === 'sent' && sent?.id === c.id && !r.ackNeedsEnd;
      const stopping = c !== undefined && !isTerminal(c.state as never) && sent?.verb === ABORT_VERB && sent.target === c.id && r.ackNeedsEnd;
      if (!r.online || !c || !sent || !(starting || stopping)) {
        r.ackDueAt = undefined;
        continue;
      }
      if (r.resends >= ACK_MAX_RESENDS) {
        r.ackDueAt = undefined;
        const waited = Math.round(now - r.ackSince);
        const what = starting ? `${c.verb} "${c.id}" (no status in ${waited} ms` : `the abort of "${c.id}" (still not ended ${waited} ms after the abort`;
        const end = starting ? 'is it stuck, or is the broker dropping messages?' : 'it may still be running: is it stuck, or is the broker dropping messages?';
        events.push(...this.failCommand(r, `child ${r.id} never acknowledged ${what}, ${r.resends} re-sends): ${end}`));
        continue;
      }
      r.resends++;
      this.commandResends++;
      r.ackDueAt = now + this.ackWait(r) * 2 ** r.resends;
      r.command = { ...c, lastSentAt: now };
      resend.push({ child: r.id, command: sent });
    }
    return { resend, events };
  }

  /** The children still busy with a command of ours (sent, or not yet ended). */
  busy(): string[] {
    const out: string[] = [];
    for (const r of this.records.values()) if (r.online && r.command && (r.command.state === 'sent' || !isTerminal(r.command.state as never))) out.push(r.id);
    return out;
  }

  /** How many commands were sent again for lack of an acknowledgement (for health). */
  resendCount(): number {
    return this.commandResends;
  }

  private ackWait(r: ChildRecord): number {
    const period = r.birth?.period_ms ?? 0;
    return Math.max(ACK_MIN_MS, ACK_PERIODS * period);
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

import type { z } from 'zod';
import { ABORT_VERB, type Command } from '../contracts/command.js';
import { REBIRTH_VERB } from '../contracts/device.js';
import type { CommandState, Plan, Status } from '../contracts/status.js';
import { isTerminal } from '../contracts/status.js';
import type { Json } from '../contracts/ids.js';
import { describeIssues, type SchemaIssue } from '../wire/codec.js';
import { safeParseFast } from '../wire/fast-validator.js';
import { jsonEqual } from '../wire/json-equal.js';
import type { NodeEvent, TaskBase, TaskReport, VerbSchemas } from './node-kind.js';

/** A task as the tracker keeps it. */
export interface TrackedTask extends TaskBase {
  verb: string;
  args: Record<string, unknown>;
  state: CommandState;
  progress: number;
  reason: string;
  detail?: Record<string, Json>;
  plan?: Plan;
}

/** What the runtime must do after the tracker saw a command. */
export interface TrackerResult {
  /** Statuses to publish, in order. */
  statuses: Status[];
  /** Rejections to report on `error` (unknown verb, bad args). */
  errors: Array<{ reason: string; issues: SchemaIssue[] }>;
  events: NodeEvent[];
  /** True when the node should run a cycle at once. */
  wake: boolean;
  duplicate: boolean;
  /** The sender asked for the birth to be announced again. */
  rebirth?: boolean;
}

const emptyResult = (): TrackerResult => ({ statuses: [], errors: [], events: [], wake: false, duplicate: false });

/**
 * The node's side of the RCS command/status protocol, as pure logic: serial numbers,
 * duplicates, preemption, abort, updates, and the status of the current task. Every
 * command it accepts ends with exactly one terminal status.
 */
export class TaskTracker {
  private current: TrackedTask | undefined;
  private readonly lastSerial = new Map<string, number>();
  private duplicates = 0;

  constructor(
    private readonly node: string,
    private readonly verbs: VerbSchemas,
    private readonly accept?: (task: TrackedTask) => string | undefined,
  ) {}

  /** The current task while it runs (not yet terminal). */
  active(): TrackedTask | undefined {
    return this.current && !isTerminal(this.current.state) ? this.current : undefined;
  }

  /** The latest task, terminal or not (for status and health). */
  latest(): TrackedTask | undefined {
    return this.current;
  }

  duplicateCount(): number {
    return this.duplicates;
  }

  /** Handles one valid command; `now` is the node's clock. */
  receive(cmd: Command, now: number): TrackerResult {
    const out = emptyResult();
    const key = `${cmd.from}/${cmd.session}`;
    const last = this.lastSerial.get(key);
    if (last !== undefined && cmd.serial <= last) {
      out.duplicate = true;
      this.duplicates++;
      if (this.current && this.current.id === cmd.id) out.statuses.push(this.status(this.current, now));
      return out;
    }
    this.lastSerial.set(key, cmd.serial);

    if (cmd.verb === ABORT_VERB) return this.abort(cmd, now, out);
    if (cmd.verb === REBIRTH_VERB) {
      // Answered at once and beside the running task (Sparkplug's rebirth request): the
      // runtime announces the birth again; the current task goes on.
      out.rebirth = true;
      out.events.push({ type: 'rebirth', id: cmd.id });
      out.wake = true;
      out.statuses.push({ v: 1, node: this.node, id: cmd.id, serial: cmd.serial, state: 'done', progress: 1, reason: 'birth announced again', t: now });
      const cur = this.active();
      if (cur) out.statuses.push(this.status(cur, now));
      return out;
    }

    const cur = this.active();
    if (cur && cur.id === cmd.id) {
      // Same task, newer serial: an update of its arguments.
      const args = this.parseArgs(cmd.verb, cmd.args);
      if (!args.ok) return this.reject(cmd, now, args.reason, args.issues, out);
      // Updates are checked like new commands (a device's range checks apply to every write);
      // a refused update leaves the task running on its last accepted arguments.
      const refusal = this.accept?.({ ...cur, verb: cmd.verb, args: args.value });
      if (refusal) return this.reject(cmd, now, refusal, [], out, true);
      cur.args = args.value;
      (cur as { serial: number }).serial = cmd.serial;
      (cur as { updatedAt: number }).updatedAt = now;
      (cur as { verb: string }).verb = cmd.verb;
      out.events.push({ type: 'task-update', id: cur.id, serial: cmd.serial });
      out.wake = true;
      return out;
    }

    if (!(cmd.verb in this.verbs)) {
      const known = [...Object.keys(this.verbs), ABORT_VERB].join(', ');
      return this.reject(cmd, now, `unknown verb "${cmd.verb}"; ${this.node} accepts: ${known}`, [{ path: 'verb', message: `unknown verb "${cmd.verb}"` }], out);
    }
    const args = this.parseArgs(cmd.verb, cmd.args);
    if (!args.ok) return this.reject(cmd, now, args.reason, args.issues, out);
    const task: TrackedTask = {
      id: cmd.id,
      serial: cmd.serial,
      from: cmd.from,
      verb: cmd.verb,
      args: args.value,
      receivedAt: now,
      updatedAt: now,
      state: 'received',
      progress: 0,
      reason: '',
    };
    const refusal = this.accept?.(task);
    if (refusal) return this.reject(cmd, now, refusal, [], out, true);

    if (cur) {
      cur.state = 'aborted';
      cur.reason = `preempted by command "${cmd.id}" (serial ${cmd.serial})`;
      out.statuses.push(this.status(cur, now));
      out.events.push({ type: 'task-aborted', id: cur.id, reason: cur.reason });
    }
    this.current = task;
    out.statuses.push(this.status(task, now));
    out.events.push({ type: 'task-new', id: task.id, verb: task.verb });
    out.wake = true;
    return out;
  }

  /**
   * Applies behavior generation's report for the current task. Returns the status to
   * publish when something a parent cares about changed (state, reason, plan), or when
   * `force` says the detail/progress should go out.
   */
  report(report: TaskReport | undefined, now: number): { status: Status | undefined; changed: 'state' | 'content' | 'none' } {
    const task = this.active();
    if (!task) return { status: undefined, changed: 'none' };
    const nextState: CommandState = report?.state ?? 'executing';
    let changed: 'state' | 'content' | 'none' = 'none';
    if (nextState !== task.state) changed = 'state';
    if (report) {
      if ((report.reason ?? '') !== task.reason) changed = changed === 'none' ? 'state' : changed;
      const progress = clamp01(report.progress ?? task.progress);
      const planChanged = report.plan !== undefined && !jsonEqual(report.plan, task.plan);
      const detailChanged = report.detail !== undefined && !jsonEqual(report.detail, task.detail);
      if (changed === 'none' && (planChanged || detailChanged || Math.abs(progress - task.progress) >= 0.01)) changed = 'content';
      task.progress = nextState === 'done' ? 1 : progress;
      task.reason = report.reason ?? '';
      if (report.plan !== undefined) task.plan = report.plan;
      if (report.detail !== undefined) task.detail = report.detail;
    }
    task.state = nextState;
    return { status: changed === 'none' ? undefined : this.status(task, now), changed };
  }

  /** Ends the current task with `state` (e.g. `failed` when the node stops). */
  end(state: 'failed' | 'aborted', reason: string, now: number): Status | undefined {
    const task = this.active();
    if (!task) return undefined;
    task.state = state;
    task.reason = reason;
    return this.status(task, now);
  }

  status(task: TrackedTask, now: number): Status {
    const s: Status = {
      v: 1,
      node: this.node,
      id: task.id,
      serial: task.serial,
      state: task.state,
      progress: task.progress,
      reason: task.reason,
      t: now,
    };
    if (task.plan) s.plan = task.plan;
    if (task.detail) s.detail = task.detail;
    return s;
  }

  private abort(cmd: Command, now: number, out: TrackerResult): TrackerResult {
    const cur = this.active();
    const target = cmd.target ?? cur?.id;
    if (cur && cur.id === target) {
      cur.state = 'aborted';
      cur.reason = `aborted by ${cmd.from} (command "${cmd.id}")`;
      out.statuses.push(this.status(cur, now));
      out.events.push({ type: 'task-aborted', id: cur.id, reason: cur.reason });
      out.wake = true;
      return out;
    }
    // Nothing to abort: the abort itself still ends with a terminal status.
    out.statuses.push({
      v: 1,
      node: this.node,
      id: cmd.id,
      serial: cmd.serial,
      state: 'rejected',
      progress: 0,
      reason: target ? `nothing to abort: "${target}" is not running` : 'nothing to abort: no command is running',
      t: now,
    });
    return out;
  }

  private reject(cmd: Command, now: number, reason: string, issues: SchemaIssue[], out: TrackerResult, asError = true): TrackerResult {
    out.statuses.push({ v: 1, node: this.node, id: cmd.id, serial: cmd.serial, state: 'rejected', progress: 0, reason, t: now });
    if (asError) out.errors.push({ reason, issues });
    return out;
  }

  private parseArgs(verb: string, args: Record<string, unknown>): { ok: true; value: Record<string, unknown> } | { ok: false; reason: string; issues: SchemaIssue[] } {
    const schema = this.verbs[verb] as z.ZodType | undefined;
    if (!schema) return { ok: true, value: args };
    const parsed = safeParseFast(schema, args);
    if (parsed.success) return { ok: true, value: parsed.data as Record<string, unknown> };
    const issues = describeIssues(parsed.error).map((i) => ({ ...i, path: i.path === '(payload)' ? 'args' : `args.${i.path}` }));
    return { ok: false, reason: `bad arguments for "${verb}": ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues };
  }
}

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

import { parseTopic } from '../../wire/topics.js';

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const compact = (v: unknown, max = 80): string => clip(JSON.stringify(v) ?? String(v), max);
const pct = (p: unknown): string => `${Math.round(Number(p ?? 0) * 100)}%`;

/** A one-line summary of a strata payload, by channel; raw text for anything else. */
export function summarize(channel: string, payload: string): string {
  if (payload.length === 0) return '(empty: retained message cleared)';
  let m: Record<string, any>;
  try {
    m = JSON.parse(payload);
  } catch {
    return `not JSON: ${clip(payload, 100)}`;
  }
  if (!m || typeof m !== 'object') return compact(m, 100);
  switch (channel) {
    case 'cmd':
      return `${m.verb} ${m.id} #${m.serial} from ${m.from ?? 'operator'}${m.target ? ` target ${m.target}` : ''}${m.args && Object.keys(m.args).length ? ` ${compact(m.args)}` : ''}`;
    case 'status': {
      const step = Array.isArray(m.plan?.steps) ? m.plan.steps.find((s: { state: string }) => s.state === 'active')?.label : undefined;
      return `${m.id} #${m.serial} ${m.state} ${pct(m.progress)}${m.reason ? ` "${clip(String(m.reason), 60)}"` : ''}${step ? ` · ${step}` : ''}`;
    }
    case 'sense':
      return `seq ${m.seq} ${compact(m.values, 100)}`;
    case 'health':
      return `cycles ${m.cycles} overruns ${m.overruns} exec ${m.exec_ms?.mean?.toFixed?.(2) ?? '?'}ms rejected ${m.rejected}${m.command ? ` · ${m.command.verb} ${m.command.id} ${m.command.state}` : ''}`;
    case 'state':
      return m.state === 'online'
        ? `online session ${m.session}${m.kind ? ` ${m.kind}` : ''}${m.level !== undefined ? ` level ${m.level}` : ''}${m.parent ? ` parent ${m.parent}` : ''}${m.period_ms !== undefined ? ` period ${m.period_ms}ms` : ''}`
        : `offline session ${m.session}${m.reason ? ` (${m.reason})` : ''}`;
    case 'error':
      return `rejected ${m.topic}: ${clip(String(m.reason), 100)}`;
    case 'peer':
      return `${m.kind} from ${m.from} ${compact(m.body)}`;
    default:
      return compact(m, 120);
  }
}

/**
 * One line per message for `strata inspect --tail`: arrival time (UTC), node-time `t`
 * when the payload has one, channel, and a summary; cut to `width` characters.
 */
export function formatTailLine(topic: string, payload: string, arrivalMs: number, retained: boolean, width = 160): string {
  const p = parseTopic(topic);
  const channel = p ? (p.channel === 'peer' ? `peer/${p.from}` : p.channel) : topic;
  const time = new Date(arrivalMs).toISOString().slice(11, 23);
  let t = '';
  try {
    const v = (JSON.parse(payload) as { t?: unknown } | null)?.t;
    // Virtual-time stamps (ms since the run began) say more than the arrival time; wall-clock stamps repeat it.
    if (typeof v === 'number' && v < 1e11) t = ` t=${(v / 1000).toFixed(3)}s`;
  } catch {
    // not JSON: the summary says so
  }
  const line = `${time}${t} ${channel.padEnd(7)} ${summarize(p?.channel ?? '', payload)}${retained ? ' (retained)' : ''}`;
  return clip(line, Math.max(40, width));
}

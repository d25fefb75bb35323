import { parseTopic } from '../../wire/topics.js';

/** One node of a live tree, as its retained state and status describe it. */
export interface NodeRow {
  tree: string;
  id: string;
  kind?: string;
  level?: number;
  parent?: string | null;
  online: boolean;
  session?: number;
  period_ms?: number;
  /** The node's current (or last) command, from its retained status. */
  command?: { id: string; serial: number; state: string; progress: number; reason: string };
  /** Why it is offline, when its death says. */
  reason?: string;
}

interface Parsed {
  state?: Record<string, unknown>;
  status?: Record<string, unknown>;
  /** The last birth seen: a death (the last will) carries no kind, level or parent. */
  birth?: Record<string, unknown>;
}

function parseJson(payload: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(payload) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The nodes of the trees seen in `messages` (state and status topics, oldest first;
 * later ones win; an empty payload clears). A node appears once its state is known.
 */
export function nodesFromMessages(messages: Iterable<{ topic: string; payload: string }>): NodeRow[] {
  const seen = new Map<string, Parsed & { tree: string; id: string }>();
  for (const m of messages) {
    const t = parseTopic(m.topic);
    if (!t || (t.channel !== 'state' && t.channel !== 'status')) continue;
    const key = `${t.tree}/${t.node}`;
    const entry = seen.get(key) ?? { tree: t.tree, id: t.node };
    const value = m.payload.length === 0 ? undefined : parseJson(m.payload);
    entry[t.channel] = value;
    if (t.channel === 'state' && value?.state === 'online') entry.birth = value;
    seen.set(key, entry);
  }
  // A parent's birth lists its children: that places a dead child whose own birth is gone.
  const parentOf = new Map<string, string>();
  for (const e of seen.values()) {
    const children = e.birth?.children;
    if (Array.isArray(children)) for (const c of children) parentOf.set(`${e.tree}/${String(c)}`, e.id);
  }
  const rows: NodeRow[] = [];
  for (const e of seen.values()) {
    if (!e.state) continue;
    const s = { ...(e.birth ?? {}), ...e.state };
    if (s.parent === undefined && parentOf.has(`${e.tree}/${e.id}`)) s.parent = parentOf.get(`${e.tree}/${e.id}`);
    const st = e.status;
    rows.push({
      tree: e.tree,
      id: e.id,
      kind: typeof s.kind === 'string' ? s.kind : undefined,
      level: typeof s.level === 'number' ? s.level : undefined,
      parent: typeof s.parent === 'string' || s.parent === null ? (s.parent as string | null) : undefined,
      online: s.state === 'online',
      session: typeof s.session === 'number' ? s.session : undefined,
      period_ms: typeof s.period_ms === 'number' ? s.period_ms : undefined,
      reason: s.state === 'offline' && typeof s.reason === 'string' ? s.reason : undefined,
      command: st
        ? { id: String(st.id ?? '?'), serial: Number(st.serial ?? 0), state: String(st.state ?? '?'), progress: Number(st.progress ?? 0), reason: String(st.reason ?? '') }
        : undefined,
    });
  }
  return orderAsTrees(rows);
}

/** Trees by id; in each, depth first from the roots, children in id order. */
function orderAsTrees(rows: NodeRow[]): NodeRow[] {
  const out: NodeRow[] = [];
  const trees = [...new Set(rows.map((r) => r.tree))].sort();
  for (const tree of trees) {
    const mine = rows.filter((r) => r.tree === tree).sort((a, b) => a.id.localeCompare(b.id));
    const ids = new Set(mine.map((r) => r.id));
    const visit = (r: NodeRow): void => {
      out.push(r);
      for (const c of mine) if (c.parent === r.id) visit(c);
    };
    // Roots, and nodes whose parent has published no state (so they still show).
    for (const r of mine) if (!r.parent || !ids.has(r.parent)) visit(r);
  }
  return out;
}

function depthOf(row: NodeRow, rows: readonly NodeRow[]): number {
  let d = 0;
  let p = row.parent;
  const guard = new Set<string>();
  while (p && !guard.has(p)) {
    guard.add(p);
    const parent = rows.find((r) => r.tree === row.tree && r.id === p);
    if (!parent) break;
    d++;
    p = parent.parent;
  }
  return d;
}

/** A table per tree: node (indented by depth), kind, level, parent, online, session, command. */
export function formatNodeTable(rows: readonly NodeRow[]): string {
  const blocks: string[] = [];
  for (const tree of [...new Set(rows.map((r) => r.tree))]) {
    const mine = rows.filter((r) => r.tree === tree);
    const online = mine.filter((r) => r.online).length;
    const cells = mine.map((r) => [
      `${'  '.repeat(depthOf(r, mine))}${r.id}`,
      r.kind ?? '?',
      r.level === undefined ? '?' : String(r.level),
      r.parent ?? '-',
      r.online ? 'online' : `offline${r.reason ? ` (${r.reason})` : ''}`,
      r.session === undefined ? '?' : String(r.session),
      r.command ? `${r.command.id} #${r.command.serial} ${r.command.state} ${Math.round(r.command.progress * 100)}%${r.command.reason ? ` ${r.command.reason}` : ''}` : '-',
    ]);
    const head = ['NODE', 'KIND', 'LEVEL', 'PARENT', 'STATE', 'SESSION', 'COMMAND'];
    const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    const line = (c: string[]): string => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]))).join('  ').trimEnd();
    blocks.push([`tree ${tree}: ${mine.length} nodes, ${online} online`, line(head), ...cells.map(line)].join('\n'));
  }
  return blocks.join('\n\n');
}

import type { NodeSpec } from '../node/node-runtime.js';
import { TOPIC_ROOT, topic } from '../wire/topics.js';

/** The identity people and tools use to command the tree (`from: "operator"` on the wire). */
export const OPERATOR_USER = 'operator';
/** A read-only identity for dashboards, recorders and `mosquitto_sub`. */
export const VIEWER_USER = 'viewer';

/** What one broker user may do: MQTT topic patterns it may publish to and subscribe to. */
export interface UserRules {
  user: string;
  /** Node id, operator or viewer. */
  role: 'node' | 'operator' | 'viewer';
  write: string[];
  read: string[];
}

/** Every user of one tree and its rules, derived from the tree's shape. */
export interface AclRules {
  tree: string;
  users: Map<string, UserRules>;
}

/** What the ACL needs to know of a node: its place in the tree. */
export type AclNode = Pick<NodeSpec, 'id' | 'parent' | 'children' | 'siblings'>;

/** A decision with the reason a person reading the log needs. */
export type AclDecision = { ok: true } | { ok: false; reason: string };

/**
 * Derives least-privilege rules from the tree (the decisions are in docs/RELIABILITY.md):
 * - a node publishes `cmd` only to its own children; `status`, `sense`, `health`,
 *   `state` and `error` only for itself; `peer` only as `<sibling>/peer/<self>`;
 * - a node subscribes only to what its runtime needs (NodeRuntime.subscriptions());
 * - `operator` may command every node of the tree (an abort must reach any level) and
 *   read the whole tree; `viewer` only reads.
 */
export function deriveAcl(tree: string, specs: ReadonlyArray<AclNode>): AclRules {
  const users = new Map<string, UserRules>();
  for (const s of specs) {
    if (s.id === OPERATOR_USER || s.id === VIEWER_USER) {
      throw new Error(`node id "${s.id}" is reserved for the ${s.id} broker identity; rename the node in the config`);
    }
    const own = (['status', 'sense', 'health', 'state', 'error'] as const).map((ch) => topic(tree, s.id, ch));
    const write = [...own, ...s.children.map((c) => topic(tree, c, 'cmd')), ...s.siblings.map((sib) => topic(tree, sib, 'peer', s.id))];
    const read = [topic(tree, s.id, 'cmd')];
    if (s.siblings.length > 0) read.push(topic(tree, s.id, 'peer'));
    for (const c of s.children) read.push(topic(tree, c, 'state'), topic(tree, c, 'status'), topic(tree, c, 'sense'));
    if (s.parent) read.push(topic(tree, s.parent, 'state'), topic(tree, s.parent, 'health'));
    users.set(s.id, { user: s.id, role: 'node', write, read });
  }
  const all = `${TOPIC_ROOT}/${tree}/#`;
  users.set(OPERATOR_USER, { user: OPERATOR_USER, role: 'operator', write: [`${TOPIC_ROOT}/${tree}/+/cmd`], read: [all] });
  users.set(VIEWER_USER, { user: VIEWER_USER, role: 'viewer', write: [], read: [all] });
  return { tree, users };
}

const levels = (s: string): string[] => s.split('/');

/** True when a topic name matches an ACL pattern (`+` one level, `#` the rest). */
export function patternMatchesTopic(pattern: string, name: string): boolean {
  if (name.includes('+') || name.includes('#')) return false;
  const p = levels(pattern);
  const n = levels(name);
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '#') return true;
    if (i >= n.length) return false;
    if (p[i] !== '+' && p[i] !== n[i]) return false;
  }
  return p.length === n.length;
}

/** True when every topic a subscription filter can match is allowed by the pattern. */
export function patternCoversFilter(pattern: string, filter: string): boolean {
  const p = levels(pattern);
  const f = levels(filter);
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '#') return true;
    if (i >= f.length) return false;
    if (f[i] === '#') return false;
    if (p[i] === '+') continue;
    if (f[i] !== p[i]) return false;
  }
  return p.length === f.length;
}

/** May `user` publish on `name`? */
export function checkPublish(rules: AclRules, user: string | undefined, name: string): AclDecision {
  const r = user === undefined ? undefined : rules.users.get(user);
  if (!r) return { ok: false, reason: `"${user ?? '(anonymous)'}" is not a user of tree ${rules.tree}` };
  if (r.write.some((p) => patternMatchesTopic(p, name))) return { ok: true };
  return { ok: false, reason: `${r.role} "${r.user}" may publish only to ${r.write.join(', ') || 'nothing'}` };
}

/** May `user` subscribe to `filter`? */
export function checkSubscribe(rules: AclRules, user: string | undefined, filter: string): AclDecision {
  const r = user === undefined ? undefined : rules.users.get(user);
  if (!r) return { ok: false, reason: `"${user ?? '(anonymous)'}" is not a user of tree ${rules.tree}` };
  if (r.read.some((p) => patternCoversFilter(p, filter))) return { ok: true };
  return { ok: false, reason: `${r.role} "${r.user}" may subscribe only to ${r.read.join(', ') || 'nothing'}` };
}

/** The channels of a node, as in DESIGN.md §3. */
export const channels = ['cmd', 'status', 'sense', 'health', 'state', 'error', 'peer'] as const;
export type Channel = (typeof channels)[number];

export const TOPIC_ROOT = 'strata';

/** The one function that builds every topic name: `strata/<tree>/<node>/<channel>[/<from>]`. */
export function topic(tree: string, node: string, channel: Channel, from?: string): string {
  if (channel === 'peer') {
    return from === undefined ? `${TOPIC_ROOT}/${tree}/${node}/peer/+` : `${TOPIC_ROOT}/${tree}/${node}/peer/${from}`;
  }
  return `${TOPIC_ROOT}/${tree}/${node}/${channel}`;
}

/** Every topic of a tree (for watchers and recorders). */
export const treeWildcard = (tree: string): string => `${TOPIC_ROOT}/${tree}/#`;

export interface ParsedTopic {
  tree: string;
  node: string;
  channel: Channel;
  /** For `peer`: the sender. */
  from?: string;
}

/** Parses a strata topic; undefined for anything else. */
export function parseTopic(name: string): ParsedTopic | undefined {
  const parts = name.split('/');
  if (parts[0] !== TOPIC_ROOT || parts.length < 4) return undefined;
  const [, tree, node, channel, from] = parts;
  if (channel === 'peer') return parts.length === 5 ? { tree, node, channel, from } : undefined;
  if (parts.length !== 4 || !(channels as readonly string[]).includes(channel)) return undefined;
  return { tree, node, channel: channel as Channel };
}

/** MQTT topic-filter matching (`+` one level, `#` the rest). */
export function topicMatches(filter: string, name: string): boolean {
  if (filter === name) return true;
  const f = filter.split('/');
  const n = name.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= n.length) return false;
    if (f[i] !== '+' && f[i] !== n[i]) return false;
  }
  return f.length === n.length;
}

import type { TopicCounts } from './io/mcap-recorder.js';

/** Message counts per topic as aligned lines, sorted by topic, with a total. */
export function formatCounts(counts: ReadonlyMap<string, number>): string {
  const topics = [...counts.keys()].sort();
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (topics.length === 0) return '  (no messages)';
  const w = Math.max(...topics.map((t) => t.length), 'total'.length);
  const lines = topics.map((t) => `  ${t.padEnd(w)}  ${counts.get(t)}`);
  lines.push(`  ${'total'.padEnd(w)}  ${total} messages on ${topics.length} topics`);
  return lines.join('\n');
}

export type { TopicCounts };

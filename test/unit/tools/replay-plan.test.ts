import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkReplayOptions, replayDueMs, replayPublishOptions, replayTopic } from '../../../src/tools/recording/replay-plan.js';
import { formatCounts } from '../../../src/tools/recording/format-counts.js';

describe('replay plan', () => {
  it('keeps the original spacing at rate 1, scales it by the rate, and sends at once at rate 0', () => {
    const first = 5_000_000_000n;
    expect(replayDueMs(first, first, 1)).toBe(0);
    expect(replayDueMs(first, first + 1_500_000_000n, 1)).toBe(1500);
    expect(replayDueMs(first, first + 1_500_000_000n, 2)).toBe(750);
    expect(replayDueMs(first, first + 1_500_000_000n, 0.5)).toBe(3000);
    expect(replayDueMs(first, first + 1_500_000_000n, 0)).toBe(0);
  });

  it('never schedules a later message before an earlier one (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 50 }), fc.constantFrom(0, 0.25, 1, 3), (times, rate) => {
        const sorted = [...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const due = sorted.map((t) => replayDueMs(sorted[0], t, rate));
        for (let i = 1; i < due.length; i++) expect(due[i]).toBeGreaterThanOrEqual(due[i - 1]);
        expect(due[0]).toBe(0);
      }),
    );
  });

  it('renames the tree, prefixes and filters topics', () => {
    expect(replayTopic('strata/demo/arm/status', { rate: 1 })).toBe('strata/demo/arm/status');
    expect(replayTopic('strata/demo/arm/status', { rate: 1, asTree: 'again' })).toBe('strata/again/arm/status');
    expect(replayTopic('strata/demo/arm/peer/conveyor', { rate: 1, topicPrefix: 'replay/', asTree: 'x' })).toBe('replay/strata/x/arm/peer/conveyor');
    expect(replayTopic('strata/demo/arm/health', { rate: 1, filters: ['strata/+/+/status', 'strata/demo/cell/#'] })).toBeUndefined();
    expect(replayTopic('strata/demo/cell/health', { rate: 1, filters: ['strata/+/+/status', 'strata/demo/cell/#'] })).toBe('strata/demo/cell/health');
  });

  it('republishes with the QoS and retained flag of each channel', () => {
    expect(replayPublishOptions('strata/t/n/status')).toEqual({ qos: 1, retain: true });
    expect(replayPublishOptions('strata/t/n/state')).toEqual({ qos: 1, retain: true });
    expect(replayPublishOptions('strata/t/n/cmd')).toEqual({ qos: 1, retain: false });
    expect(replayPublishOptions('strata/t/n/health')).toEqual({ qos: 0, retain: false });
    expect(replayPublishOptions('strata/t/n/peer/m')).toEqual({ qos: 1, retain: false });
    expect(replayPublishOptions('other/topic')).toEqual({ qos: 1, retain: false });
  });

  it('refuses options it cannot honour, saying what to give', () => {
    expect(() => checkReplayOptions({ rate: -1 })).toThrow(/give 1 \(original timing\)/);
    expect(() => checkReplayOptions({ rate: Number.NaN })).toThrow(/not a rate/);
    expect(() => checkReplayOptions({ rate: 1, asTree: 'a/b' })).toThrow(/not a tree id/);
    expect(() => checkReplayOptions({ rate: 1, topicPrefix: 'x/#' })).toThrow(/wildcard/);
    expect(() => checkReplayOptions({ rate: 0, asTree: 'ok', topicPrefix: 'replay/' })).not.toThrow();
  });

  it('prints counts per topic with a total', () => {
    const text = formatCounts(new Map([['strata/t/b/state', 2], ['strata/t/a/status', 5]]));
    expect(text.split('\n')).toEqual(['  strata/t/a/status  5', '  strata/t/b/state   2', '  total              7 messages on 2 topics']);
    expect(formatCounts(new Map())).toBe('  (no messages)');
  });
});

import { describe, expect, it } from 'vitest';
import { aggregateStatus } from '../../../src/perception/index.js';

describe('aggregateStatus', () => {
  it('is worst-of: one failure fails the whole, naming the child', () => {
    const s = aggregateStatus([
      { id: 'left', state: 'done' },
      { id: 'right', state: 'failed', progress: 0.4, reason: 'motor stall' },
    ]);
    expect(s).toEqual({ state: 'failed', progress: 0.7, reason: 'right failed: motor stall' });
  });

  it('averages progress by weight while children work, and is done when all are', () => {
    const s = aggregateStatus([
      { id: 'a', state: 'executing', progress: 0.5, weight: 3 },
      { id: 'b', state: 'sent', weight: 1 },
    ]);
    expect(s.state).toBe('executing');
    expect(s.progress).toBeCloseTo(0.375, 12);
    expect(s.reason).toBe('waiting for a, b');
    expect(aggregateStatus([{ id: 'a', state: 'done' }, { id: 'b', state: 'done' }]).state).toBe('done');
  });

  it('with redundant children, one success is enough and only all failing fails', () => {
    expect(aggregateStatus([{ id: 'gps', state: 'failed' }, { id: 'vision', state: 'done' }], 'any').state).toBe('done');
    expect(aggregateStatus([{ id: 'gps', state: 'failed' }, { id: 'vision', state: 'executing', progress: 0.2 }], 'any')).toMatchObject({
      state: 'executing',
      progress: 0.2,
    });
    expect(aggregateStatus([{ id: 'gps', state: 'aborted' }, { id: 'vision', state: 'rejected' }], 'any').state).toBe('failed');
  });
});

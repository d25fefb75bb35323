import { describe, expect, it } from 'vitest';
import { createPoseTrack, trackPose } from '../../../nodes/pilot/pose-tracker.js';

const opt = { wheelBase: 0.4, slip: 0.02, fixSd: 0.25, headingSd: 0.01 };
const start = { x: 1.5, y: 2, theta: 0 };

describe('pose tracker: where the pilot starts', () => {
  it('starts at the configured pose while the wheels have not turned, and keeps it against one far fix', () => {
    const t = createPoseTrack(start);
    trackPose(t, [{ odom_left: 0, odom_right: 0, heading: 0, fix_x: 1.6, fix_y: 2.1, fix_t: 0 }], 10, opt);
    expect(t.pose!.x).toBeCloseTo(1.5, 0);
    expect(t.pose!.y).toBeCloseTo(2, 0);
    // A single fix far away is an outlier, not a reason to jump (three in a row are).
    trackPose(t, [{ odom_left: 0, odom_right: 0, heading: 0, fix_x: 9, fix_y: 9, fix_t: 1 }], 1010, opt);
    expect(Math.hypot(t.pose!.x - 1.5, t.pose!.y - 2)).toBeLessThan(0.2);
  });

  it('restarted mid-run (the wheels have turned): starts from the position fix at once, with the compass heading', () => {
    const t = createPoseTrack(start);
    trackPose(t, [{ odom_left: 12.3, odom_right: 12.9, heading: 1.2, fix_x: 7.4, fix_y: 5.1, fix_t: 41.2 }], 42_000, opt);
    expect(t.pose!.x).toBeCloseTo(7.4, 6);
    expect(t.pose!.y).toBeCloseTo(5.1, 6);
    expect(t.pose!.theta).toBeCloseTo(1.2, 6);
    expect(t.fixesUsed).toBe(1);
    // Then odometry moves it on from there.
    trackPose(t, [{ odom_left: 12.4, odom_right: 13.0, heading: 1.2 }], 42_100, opt);
    expect(t.pose!.x).toBeGreaterThan(7.4);
  });

  it('without a position fix, keeps the configured start even when the counters are not at zero (a device that counts from power-on)', () => {
    const t = createPoseTrack(start);
    trackPose(t, [{ odom_left: 5, odom_right: 5, heading: 0 }], 10, opt);
    expect(t.pose!.x).toBeCloseTo(1.5, 6);
    expect(t.pose!.y).toBeCloseTo(2, 6);
  });
});

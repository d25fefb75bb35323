import type { Json } from '../../src/contracts/ids.js';
import { type PoseEstimate, correctHeading, correctPosition, createPose, predictWheels } from '../../src/perception/pose-ekf.js';

/** How much the pilot trusts each of the reflex's pass-through sensor values. */
export interface PoseTrackerOptions {
  readonly wheelBase: number;
  /** Wheel slip, as a fraction of each wheel's travel (standard deviation). */
  readonly slip: number;
  /** Position fix standard deviation (m). */
  readonly fixSd: number;
  /** Compass standard deviation (rad). */
  readonly headingSd: number;
  /** A wheel step longer than this (m) is a counter reset, not motion. */
  readonly maxStep?: number;
}

/** The pilot's sensory-perception state: the pose estimate and what it was built from. */
export interface PoseTrack {
  pose: PoseEstimate | undefined;
  /** Latest cumulative wheel odometry, to difference the next reading against. */
  odom: { l: number; r: number } | undefined;
  /** Time stamp of the latest position fix used (the fix changes only when this does). */
  fixT: number | undefined;
  /** Latest compass heading, kept to seed the pose at the first fix. */
  heading: number | undefined;
  /** Smoothed forward speed from odometry (m/s). */
  v: number;
  lastNow: number | undefined;
  fixesUsed: number;
  fixesRejected: number;
  /** Fixes rejected in a row: a long run means the estimate is lost, so it restarts from the fix. */
  rejectRun: number;
}

/** A fresh track; with `start`, the pose is known before the first fix. */
export function createPoseTrack(start?: { x: number; y: number; theta: number }, sd = { xy: 0.05, theta: 0.05 }): PoseTrack {
  return {
    pose: start ? createPose(start.x, start.y, start.theta, sd) : undefined,
    odom: undefined,
    fixT: undefined,
    heading: undefined,
    v: 0,
    lastNow: undefined,
    fixesUsed: 0,
    fixesRejected: 0,
    rejectRun: 0,
  };
}

/** Wheel travel (m, both wheels) above which the rover has moved since its counters started. */
const MOVED_M = 0.05;

const num = (v: Json | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Extended Kalman filter over the reflex's sense values, oldest first: wheel odometry
 * predicts, the compass and the low-rate position fix correct. Mutates `track`.
 * Odometry is differenced between readings, so a restarted child (new counters) must
 * be signalled with `resetOdometry`.
 */
export function trackPose(track: PoseTrack, senses: ReadonlyArray<Readonly<Record<string, Json>>>, now: number, opt: PoseTrackerOptions): void {
  const maxStep = opt.maxStep ?? 1;
  let travelled = 0;
  for (const s of senses) {
    const l = num(s.odom_left);
    const r = num(s.odom_right);
    if (l !== undefined && r !== undefined && track.odom === undefined && track.fixesUsed === 0 && track.pose && Math.abs(l) + Math.abs(r) > MOVED_M) {
      // The wheels have turned since the rover started (this pilot was restarted mid-run):
      // the configured start pose is stale. Start from the position fix instead, when
      // this reading has one; without fixes, the start pose is all there is.
      if (num(s.fix_x) !== undefined && num(s.fix_y) !== undefined && num(s.fix_t) !== undefined) track.pose = undefined;
    }
    if (l !== undefined && r !== undefined) {
      if (track.odom && track.pose) {
        const dl = l - track.odom.l;
        const dr = r - track.odom.r;
        if (Math.abs(dl) <= maxStep && Math.abs(dr) <= maxStep && (dl !== 0 || dr !== 0)) {
          track.pose = predictWheels(track.pose, dl, dr, { wheelBase: opt.wheelBase, slip: opt.slip });
          travelled += (dl + dr) / 2;
        }
      }
      track.odom = { l, r };
    }
    const h = num(s.heading);
    if (h !== undefined) {
      track.heading = h;
      if (track.pose) track.pose = correctHeading(track.pose, h, opt.headingSd).estimate;
    }
    const ft = num(s.fix_t);
    const fx = num(s.fix_x);
    const fy = num(s.fix_y);
    if (ft !== undefined && fx !== undefined && fy !== undefined && ft !== track.fixT) {
      track.fixT = ft;
      if (!track.pose) {
        const known = track.heading !== undefined;
        track.pose = createPose(fx, fy, track.heading ?? 0, { xy: opt.fixSd, theta: known ? opt.headingSd : Math.PI });
        track.fixesUsed++;
      } else {
        const c = correctPosition(track.pose, { x: fx, y: fy }, opt.fixSd);
        if (c.accepted) {
          track.pose = c.estimate;
          track.fixesUsed++;
          track.rejectRun = 0;
        } else {
          track.fixesRejected++;
          track.rejectRun++;
          if (track.rejectRun >= 3) {
            // Three fixes in a row far outside the estimate: trust the fixes, not the odometry.
            track.pose = createPose(fx, fy, track.pose.theta, { xy: opt.fixSd, theta: Math.sqrt(track.pose.P[8]) });
            track.rejectRun = 0;
          }
        }
      }
    }
  }
  if (track.lastNow !== undefined && now > track.lastNow) {
    const inst = travelled / ((now - track.lastNow) / 1000);
    track.v = 0.5 * track.v + 0.5 * inst;
  }
  track.lastNow = now;
}

/** Forget the odometry baseline (the device restarted and its counters began again). */
export function resetOdometry(track: PoseTrack): void {
  track.odom = undefined;
}

/** Position standard deviation of the estimate (m): the root of the mean of the x and y variances. */
export function poseSd(pose: PoseEstimate): number {
  return Math.sqrt(Math.max(0, (pose.P[0] + pose.P[4]) / 2));
}

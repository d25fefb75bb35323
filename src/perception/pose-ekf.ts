/**
 * A pose estimate of a planar robot: position (m), heading (rad, -π..π) and the 3 x 3
 * covariance of (x, y, theta), row-major. Immutable: every step returns a new estimate.
 */
export interface PoseEstimate {
  readonly x: number;
  readonly y: number;
  readonly theta: number;
  readonly P: readonly number[];
}

/** Odometry noise of a differential-drive robot. */
export interface WheelNoise {
  /** Distance between the wheels (m). */
  readonly wheelBase: number;
  /** Standard deviation of each wheel's travel, as a fraction of it (slip), default 0.02. */
  readonly slip?: number;
  /** Standard deviation added per step whatever the travel (m), default 1e-4. */
  readonly floor?: number;
}

/** The result of a correction: the new estimate and whether the measurement was used. */
export interface Correction {
  readonly estimate: PoseEstimate;
  /** False when the measurement failed the gate (an outlier) and was ignored. */
  readonly accepted: boolean;
  /** Normalised innovation squared (chi-square distributed when the filter is consistent). */
  readonly nis: number;
}

const TWO_PI = 2 * Math.PI;
/** Wraps an angle to (-π, π]. */
export function wrapAngle(a: number): number {
  let r = a % TWO_PI;
  if (r <= -Math.PI) r += TWO_PI;
  else if (r > Math.PI) r -= TWO_PI;
  return r;
}

/** A starting estimate with independent uncertainties (standard deviations). */
export function createPose(x: number, y: number, theta: number, sd: { xy: number; theta: number }): PoseEstimate {
  const v = sd.xy * sd.xy;
  return { x, y, theta: wrapAngle(theta), P: [v, 0, 0, 0, v, 0, 0, 0, sd.theta * sd.theta] };
}

/**
 * Extended Kalman filter prediction for a motion of `ds` metres along the arc whose heading
 * changes by `dth`, with variances of ds and dth and their covariance. The midpoint heading
 * is used, which is exact for straight lines and close for arcs.
 */
export function predictMotion(est: PoseEstimate, ds: number, dth: number, varDs: number, varDth: number, covDsDth = 0): PoseEstimate {
  const phi = est.theta + dth / 2;
  const c = Math.cos(phi);
  const s = Math.sin(phi);
  const P = est.P;
  // F = [[1,0,a],[0,1,b],[0,0,1]]
  const a = -ds * s;
  const b = ds * c;
  // W = d(x,y,theta)/d(ds,dth) = [[c, -ds*s/2],[s, ds*c/2],[0,1]]
  const W = [c, a / 2, s, b / 2, 0, 1];
  const N = [varDs, covDsDth, covDsDth, varDth];
  // F P F^T
  const FP = [P[0] + a * P[6], P[1] + a * P[7], P[2] + a * P[8], P[3] + b * P[6], P[4] + b * P[7], P[5] + b * P[8], P[6], P[7], P[8]];
  const Pn = [
    FP[0] + FP[2] * a, FP[1] + FP[2] * b, FP[2],
    FP[3] + FP[5] * a, FP[4] + FP[5] * b, FP[5],
    FP[6] + FP[8] * a, FP[7] + FP[8] * b, FP[8],
  ];
  // + W N W^T
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let q = 0;
      for (let k = 0; k < 2; k++) for (let l = 0; l < 2; l++) q += W[i * 2 + k] * N[k * 2 + l] * W[j * 2 + l];
      Pn[i * 3 + j] += q;
    }
  }
  return { x: est.x + ds * c, y: est.y + ds * s, theta: wrapAngle(est.theta + dth), P: Pn };
}

/** Prediction from wheel travel (m) of the left and right wheels since the last step. */
export function predictWheels(est: PoseEstimate, dl: number, dr: number, noise: WheelNoise): PoseEstimate {
  const b = noise.wheelBase;
  const k = noise.slip ?? 0.02;
  const f = noise.floor ?? 1e-4;
  const vl = (k * Math.abs(dl) + f) ** 2;
  const vr = (k * Math.abs(dr) + f) ** 2;
  return predictMotion(est, (dl + dr) / 2, (dr - dl) / b, (vl + vr) / 4, (vl + vr) / (b * b), (vr - vl) / (2 * b));
}

/** Prediction from speed v (m/s) and turn rate w (rad/s) held for dt seconds, with their noise (per second). */
export function predictVelocity(est: PoseEstimate, v: number, w: number, dt: number, noise: { vSd: number; wSd: number }): PoseEstimate {
  return predictMotion(est, v * dt, w * dt, (noise.vSd * dt) ** 2, (noise.wSd * dt) ** 2);
}

/**
 * Corrects with a position fix (x, y) of standard deviation `sd` (m). A fix whose
 * normalised innovation exceeds `gate` (default 13.8: chi-square, 2 dof, 99.9 %) is an
 * outlier and ignored.
 */
export function correctPosition(est: PoseEstimate, fix: { x: number; y: number }, sd: number, gate = 13.8): Correction {
  const P = est.P;
  const r = sd * sd;
  const s00 = P[0] + r;
  const s01 = P[1];
  const s10 = P[3];
  const s11 = P[4] + r;
  const det = s00 * s11 - s01 * s10;
  const i00 = s11 / det;
  const i01 = -s01 / det;
  const i10 = -s10 / det;
  const i11 = s00 / det;
  const ex = fix.x - est.x;
  const ey = fix.y - est.y;
  const nis = ex * (i00 * ex + i01 * ey) + ey * (i10 * ex + i11 * ey);
  if (!(nis <= gate)) return { estimate: est, accepted: false, nis };
  // K = P H^T S^-1, H picks x and y: columns 0 and 1 of P.
  const K: number[] = [];
  for (let i = 0; i < 3; i++) {
    const p0 = P[i * 3];
    const p1 = P[i * 3 + 1];
    K.push(p0 * i00 + p1 * i10, p0 * i01 + p1 * i11);
  }
  const Pn = new Array<number>(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) Pn[i * 3 + j] = P[i * 3 + j] - (K[i * 2] * P[j] + K[i * 2 + 1] * P[3 + j]);
  }
  return {
    estimate: {
      x: est.x + K[0] * ex + K[1] * ey,
      y: est.y + K[2] * ex + K[3] * ey,
      theta: wrapAngle(est.theta + K[4] * ex + K[5] * ey),
      P: symmetric(Pn),
    },
    accepted: true,
    nis,
  };
}

/** Corrects with a heading measurement (rad) of standard deviation `sd`; gate default 10.8 (1 dof, 99.9 %). */
export function correctHeading(est: PoseEstimate, heading: number, sd: number, gate = 10.8): Correction {
  const P = est.P;
  const s = P[8] + sd * sd;
  const e = wrapAngle(heading - est.theta);
  const nis = (e * e) / s;
  if (!(nis <= gate)) return { estimate: est, accepted: false, nis };
  const K = [P[2] / s, P[5] / s, P[8] / s];
  const Pn = new Array<number>(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) Pn[i * 3 + j] = P[i * 3 + j] - K[i] * P[6 + j];
  return {
    estimate: { x: est.x + K[0] * e, y: est.y + K[1] * e, theta: wrapAngle(est.theta + K[2] * e), P: symmetric(Pn) },
    accepted: true,
    nis,
  };
}

function symmetric(P: number[]): number[] {
  for (let i = 0; i < 3; i++) {
    for (let j = i + 1; j < 3; j++) {
      const m = (P[i * 3 + j] + P[j * 3 + i]) / 2;
      P[i * 3 + j] = m;
      P[j * 3 + i] = m;
    }
  }
  return P;
}

import { z } from 'zod';

/**
 * The contracts between the levels of the rover tree (DESIGN.md §2):
 *
 *   mission (4) ─explore→ navigator (3) ─goto/sample/charge→ pilot (2) ─follow/hold/sample→
 *   reflex (1) ─drive→ rover (0: the simulator or a hardware gateway, `write` of points)
 *
 * Each level's verbs are what its parent sends; each level's sense values are what it
 * reports up, at its own abstraction. Kept in one file so the layers stay in step.
 */

const point = z.tuple([z.number(), z.number()]);
export type XY = z.output<typeof point>;

// ---- reflex (level 1) ------------------------------------------------------

/** Pilot → reflex: drive at speed `v` (m/s) with turn rate `w` (rad/s); `sample` raises the sampler when stopped. */
export const reflexVerbs = {
  drive: z.object({ v: z.number(), w: z.number(), sample: z.boolean().default(false) }).strict(),
  /** Stop and hold still (the safe command). */
  stop: z.object({}).strict(),
  /** Release a latched e-stop once the button is released. */
  reset_estop: z.object({}).strict(),
};

/**
 * Reflex → pilot sense values: the rover's own sensor values passed through (the
 * world model at level 1 is the sensed values themselves) plus what the reflex decided.
 */
export const reflexSenseExtras = {
  /** Which behavior owns each output this cycle, e.g. { v: 'avoid', w: 'follow' }. */
  owners: 'owners',
  /** Bad or missing sensor inputs treated as hazards. */
  faults: 'faults',
  /** Outputs written to the rover this cycle. */
  out_v: 'out_v',
  out_w: 'out_w',
} as const;

// ---- pilot (level 2) -------------------------------------------------------

/** Navigator → pilot. */
export const pilotVerbs = {
  /** Track a path of waypoints (world metres); done within `tolerance` of the last. */
  follow: z
    .object({
      path: z.array(point).min(1),
      speed: z.number().positive().max(2).default(0.5),
      tolerance: z.number().positive().default(0.3),
    })
    .strict(),
  /** Stop and stay (e.g. while charging). Never ends by itself. */
  hold: z.object({}).strict(),
  /** Stand still and take a science sample; done when the rover reports success. */
  sample: z.object({ timeout_s: z.number().positive().default(20) }).strict(),
};

/** Pilot → navigator sense values (at the navigator's period). */
export const pilotSenseSchema = z.object({
  /** Estimated pose (EKF of odometry, heading and position fixes). */
  x: z.number(),
  y: z.number(),
  theta: z.number(),
  /** Position standard deviation of the estimate (m). */
  pose_sd: z.number(),
  v: z.number(),
  battery: z.number(),
  charging: z.boolean(),
  at_base: z.boolean(),
  sample_ok: z.boolean(),
  /** Latest range scan in world coordinates: ray origin and, per ray, end point and whether it hit. */
  scan: z
    .object({
      x: z.number(),
      y: z.number(),
      rays: z.array(z.tuple([z.number(), z.number(), z.boolean()])),
    })
    .nullable(),
  /** Reflex layer's owners and faults, for the user. */
  owners: z.record(z.string(), z.string()).optional(),
  hazard: z.string().nullable(),
});
export type PilotSense = z.output<typeof pilotSenseSchema>;

// ---- navigator (level 3) ---------------------------------------------------

/** Mission → navigator. */
export const navigatorVerbs = {
  /** Plan a path on the cost map and drive it; re-plans as obstacles appear. */
  goto: z.object({ x: z.number(), y: z.number(), tolerance: z.number().positive().default(0.4), label: z.string().optional() }).strict(),
  /** At a target: take a sample there. */
  sample: z.object({ target: z.string(), x: z.number(), y: z.number() }).strict(),
  /** At the base: hold still until the battery reaches `until`. */
  charge: z.object({ until: z.number().min(0).max(1).default(0.95) }).strict(),
};

/** Navigator → mission sense values. */
export const navigatorSenseSchema = z.object({
  x: z.number(),
  y: z.number(),
  theta: z.number(),
  battery: z.number(),
  charging: z.boolean(),
  at_base: z.boolean(),
  /** Obstacle cells the rover has discovered (not in its map at start), as [x, y] cell centres. */
  discovered: z.array(point),
  replans: z.number().int(),
  /** The path being driven, for viewers. */
  path: z.array(point),
});
export type NavigatorSense = z.output<typeof navigatorSenseSchema>;

// ---- mission (level 4) -----------------------------------------------------

/** Operator → mission. */
export const missionVerbs = {
  /** Visit and sample the targets (default: all in the scenario), returning to charge as needed, and end at the base. */
  explore: z.object({ targets: z.array(z.string()).optional() }).strict(),
};

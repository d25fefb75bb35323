import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** What a shape puts on the map. `free` clears whatever was there. */
export const terrainKindSchema = z.enum(['rock', 'wall', 'soft', 'slope', 'cliff', 'free']);
export type TerrainKind = z.output<typeof terrainKindSchema>;

const shapeCommon = {
  kind: terrainKindSchema,
  /** For rocks and walls: false = not on the rover's initial map (only its sensors find it). */
  known: z.boolean().default(true),
  /** For slopes (degrees); defaults to the map's `slope_deg`. */
  slope_deg: z.number().min(0).max(60).optional(),
};

/** A rectangle in metres, lower-left corner (x, y); it covers the cells whose centres lie inside. */
export const rectShapeSchema = z
  .object({ shape: z.literal('rect'), x: finite, y: finite, w: z.number().positive(), h: z.number().positive(), ...shapeCommon })
  .strict();

/** A disc in metres; it covers the cells whose centres lie inside. */
export const circleShapeSchema = z
  .object({ shape: z.literal('circle'), x: finite, y: finite, r: z.number().positive(), ...shapeCommon })
  .strict();

export const shapeSchema = z.discriminatedUnion('shape', [rectShapeSchema, circleShapeSchema]);
export type Shape = z.output<typeof shapeSchema>;

export const poseSchema = z.object({ x: finite, y: finite, theta: finite.default(0) }).strict();
export const targetSchema = z
  .object({ name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, "_" and "-"'), x: finite, y: finite })
  .strict();

/**
 * A map file (configs/maps/*.yaml). Either an ASCII `grid` (row 0 = north edge) or a
 * `width`/`height` in cells, or both; `shapes` are drawn over the grid in order.
 *
 * Grid legend: `.` free, `#` rock/wall known at start, `?` rock unknown at start,
 * `~` soft ground, `^` slope (`slope_deg`), `X` cliff (rover lost if it drives in),
 * `B` base with charger, `S` start, `T` a target (named T1, T2, ... in reading order),
 * any other capital letter a target named by that letter.
 */
export const mapSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    cell_size: z.number().positive().max(10).default(0.5),
    slope_deg: z.number().min(0).max(60).default(15),
    grid: z.string().optional(),
    width: z.number().int().positive().max(2000).optional(),
    height: z.number().int().positive().max(2000).optional(),
    shapes: z.array(shapeSchema).default([]),
    targets: z.array(targetSchema).default([]),
    base: z.object({ x: finite, y: finite, radius: z.number().positive().default(0.5) }).strict().optional(),
    start: poseSchema.optional(),
  })
  .strict()
  .refine((m) => m.grid !== undefined || (m.width !== undefined && m.height !== undefined), {
    message: 'give either a "grid" or both "width" and "height" (cells)',
  });

export type MapSpec = z.output<typeof mapSchema>;

import { z } from 'zod';
import { defineNodeKind } from 'strata';

/**
 * A small level controller above a gateway (configs/gateway-demo.yaml): it fills a tank to
 * a level with a proportional pump, opens the drain when the level is too high, and ends
 * `done` once the level has stayed within the band for `hold_s`. It drives the device
 * child through the device contract only (points in its birth, `write` commands,
 * readings in `sense`), so the same node runs against the simulated tank or a real one.
 *
 * The write is re-sent every `refresh_ms` (a new serial under the same id): the keep-alive
 * that stops the gateway's watchdog from putting the outputs to their safe values.
 */
export default defineNodeKind({
  kind: 'level-controller',
  description: 'Fills a tank to a level through a gateway child (pump, drain valve, level sensor).',
  params: z
    .object({
      /** Point names on the device child. */
      level_point: z.string().default('level'),
      pump_point: z.string().default('pump'),
      drain_point: z.string().default('drain'),
      /** Pump command per metre of error (0..1 after clipping to the pump's range). */
      gain: z.number().positive().default(5),
      /** Keep-alive for the gateway's watchdog (keep it well under watchdog_ms). */
      refresh_ms: z.number().positive().default(250),
    })
    .strict(),
  verbs: {
    fill: z
      .object({
        level: z.number().min(0, 'level is in metres, 0 or more'),
        within: z.number().positive().default(0.03),
        hold_s: z.number().nonnegative().default(5),
      })
      .strict(),
  },
  // World model: the tank's last good level and since when it has been within the band.
  world: () => ({ level: undefined, inBandSince: undefined }),
  create: (ctx) => {
    const p = ctx.params;
    const device = ctx.children[0];
    return {
      perceive: (input) => {
        const child = device ? input.children[device] : undefined;
        const v = child?.sense;
        const good = v?._quality?.[p.level_point] === 'good' && typeof v?.[p.level_point] === 'number';
        return { online: child?.online === true, session: child?.session ?? 0, level: good ? v[p.level_point] : undefined };
      },
      update: (world, percept) => {
        if (percept.level !== undefined) world.level = percept.level;
        world.percept = percept;
        return world;
      },
      judge: (world, input) => (input.task && world.level !== undefined ? input.task.args.level - world.level : undefined),
      behave: (world, error, input) => {
        const task = input.task;
        const sense = world.level === undefined ? {} : { level: Math.round(world.level * 1000) / 1000 };
        if (!task) return { sense };
        if (!world.percept.online || error === undefined) {
          world.inBandSince = undefined;
          return { sense, status: { state: 'executing', reason: `waiting for a good "${p.level_point}" reading from ${device}` } };
        }
        const pump = Math.round(Math.min(1, Math.max(0, p.gain * error)) * 100) / 100;
        const drain = error < -task.args.within;
        const commands = {
          [device]: { id: `fill@${world.percept.session}`, verb: 'write', args: { values: { [p.pump_point]: pump, [p.drain_point]: drain } }, refreshMs: p.refresh_ms },
        };
        const inBand = Math.abs(error) <= task.args.within;
        if (!inBand) world.inBandSince = undefined;
        else world.inBandSince ??= input.now;
        const held = inBand ? (input.now - world.inBandSince) / 1000 : 0;
        if (inBand && held >= task.args.hold_s) return { sense, commands, status: { state: 'done', reason: `level ${sense.level} m held for ${task.args.hold_s} s` } };
        const progress = Math.max(0, Math.min(1, world.level / task.args.level));
        return { sense, commands, status: { state: 'executing', progress, reason: `level ${sense.level} m → ${task.args.level} m, pump ${pump}${drain ? ', draining' : ''}` } };
      },
    };
  },
});

// A complete node kind in plain JavaScript: a thermostat that holds a room at a
// temperature. The room is simulated inside the node to keep the example whole.
import { z } from 'zod';
import { defineNodeKind } from 'strata';

export default defineNodeKind({
  kind: 'thermostat',
  description: 'Holds a room at a set temperature with an on/off heater.',
  params: z.object({ start_c: z.number().default(15), heat_c_per_s: z.number().default(0.05), loss_per_s: z.number().default(0.002) }),
  verbs: { hold: z.object({ celsius: z.number().min(5).max(30), within: z.number().positive().default(0.3) }) },
  // World model: the room's temperature and the heater.
  world: (ctx) => ({ celsius: ctx.params.start_c, heater: false, t: 0 }),
  create: (ctx) => ({
    // Sensory perception: here, reading the (simulated) room.
    perceive: (input, room) => {
      const dt = room.t === 0 ? 0 : (input.now - room.t) / 1000;
      room.celsius += dt * ((room.heater ? ctx.params.heat_c_per_s : 0) - ctx.params.loss_per_s * (room.celsius - 10));
      room.t = input.now;
      return room.celsius;
    },
    // Value judgment: how far from the goal are we?
    judge: (room, input) => (input.task ? input.task.args.celsius - room.celsius : 0),
    // Behavior generation: bang-bang control, done once within the band.
    behave: (room, error, input) => {
      room.heater = error > 0;
      const sense = { celsius: Math.round(room.celsius * 100) / 100, heater: room.heater };
      if (!input.task) return { sense };
      if (Math.abs(error) <= input.task.args.within) return { sense, status: { state: 'done' } };
      return { sense, status: { state: 'executing', progress: Math.max(0, 1 - Math.abs(error) / 10), reason: `${sense.celsius} °C` } };
    },
  }),
});

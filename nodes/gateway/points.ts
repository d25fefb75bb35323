import { z } from 'zod';
import { pointSchema, type Point } from '../../src/contracts/device.js';

/** Where a point lives in a Modbus device: table, register or coil address, data type. */
export const modbusAddressSchema = z
  .object({
    /** `coil` (read/write bit), `discrete` (read-only bit), `holding` (read/write register), `input` (read-only register). */
    table: z.enum(['coil', 'discrete', 'holding', 'input']),
    /** Zero-based address on the wire (register 40001 is holding address 0). */
    address: z.number().int('a Modbus address is a whole number').min(0).max(65535),
    /** How register words hold the value; ignored for coils and discrete inputs. */
    data_type: z.enum(['int16', 'uint16', 'float32']).default('uint16'),
    /** float32 word order: `big` puts the high word at the lower address (the common "ABCD"). */
    word_order: z.enum(['big', 'little']).default('big'),
  })
  .strict();
export type ModbusAddress = z.output<typeof modbusAddressSchema>;

/**
 * A gateway I/O point: the wire contract {@link pointSchema} plus where the adapter finds
 * it on the device. Only the contract fields go into the birth ({@link birthPoints}).
 */
export const gatewayPointSchema = pointSchema.extend({
  /** Serial line: the name the device uses on the wire (default: the point name). */
  wire: z.string().regex(/^\S+$/, 'a wire name cannot contain spaces (the line protocol splits on them)').optional(),
  /** Modbus: where the point lives; required when the adapter is `modbus-tcp`. */
  modbus: modbusAddressSchema.optional(),
});
export type GatewayPoint = z.output<typeof gatewayPointSchema>;
export type GatewayPointInput = z.input<typeof gatewayPointSchema>;

export const serialLineOptionsSchema = z
  .object({
    type: z.literal('serial-line'),
    /** Device path, e.g. `/dev/ttyUSB0`, `/dev/ttyACM0`, `/dev/serial/by-id/...`, or a pty. */
    path: z.string().min(1, 'give the serial port path, e.g. "/dev/ttyUSB0"'),
    baud_rate: z.number().int().positive().default(115200),
    /** How long to wait for each reply before the request counts as a timeout fault. */
    timeout_ms: z.number().positive().default(250),
  })
  .strict();

export const modbusTcpOptionsSchema = z
  .object({
    type: z.literal('modbus-tcp'),
    host: z.string().min(1, 'give the Modbus device host, e.g. "192.168.1.20"'),
    port: z.number().int().min(1).max(65535).default(502),
    unit_id: z.number().int().min(0).max(255).default(1),
    timeout_ms: z.number().positive().default(500),
  })
  .strict();

export const simulatedOptionsSchema = z
  .object({
    type: z.literal('simulated'),
    /** `tank`: pump in, drain valve, level out; `motor`: voltage in, speed out; `echo`: inputs hold what was last written. */
    model: z.enum(['tank', 'motor', 'echo']).default('echo'),
    /** Integration step of the model's dynamics, on the tree's clock. */
    step_ms: z.number().positive().default(10),
    /** Model role → point name, when the config's names differ from the model's (e.g. `{ level: "tank_level" }`). */
    bind: z.record(z.string(), z.string()).default({}),
  })
  .strict();

export const adapterOptionsSchema = z.discriminatedUnion('type', [serialLineOptionsSchema, modbusTcpOptionsSchema, simulatedOptionsSchema], {
  error: 'adapter.type must be "serial-line", "modbus-tcp" or "simulated"',
});
export type AdapterOptions = z.output<typeof adapterOptionsSchema>;

const numeric = (p: GatewayPoint): boolean => p.type === 'number';

/** Checks one point's internal consistency; pushes issues with paths relative to the point. */
function checkPoint(p: GatewayPoint, adapter: AdapterOptions['type'], add: (path: (string | number)[], message: string) => void): void {
  if (p.min !== undefined && p.max !== undefined && p.min > p.max) add(['min'], `min (${p.min}) is above max (${p.max}); swap them`);
  if (p.scale === 0) add(['scale'], 'scale cannot be 0 (raw = (value - offset) / scale); use 1 for no scaling');
  if (p.type === 'enum' && (p.values === undefined || p.values.length === 0)) add(['values'], `enum point "${p.name}" needs values, e.g. values: [off, low, high]`);
  if (p.direction === 'out') {
    if (p.safe === undefined) add(['safe'], `output "${p.name}" needs a safe value (taken on start, watchdog expiry and broker loss), e.g. safe: ${p.type === 'bool' ? 'false' : p.type === 'enum' ? (p.values?.[0] ?? 'off') : 0}`);
    else {
      const why = valueProblem(p, p.safe);
      if (why) add(['safe'], `safe value of "${p.name}" is not valid: ${why}`);
    }
    if (p.type === 'number[]') add(['type'], `output "${p.name}": number[] points can only be inputs`);
  }
  if (adapter === 'modbus-tcp') {
    if (!p.modbus) add(['modbus'], `point "${p.name}" needs a Modbus address, e.g. modbus: { table: holding, address: 0 }`);
    else {
      const bit = p.modbus.table === 'coil' || p.modbus.table === 'discrete';
      if (bit && p.type !== 'bool') add(['modbus', 'table'], `${p.modbus.table} holds one bit; make "${p.name}" type bool or use a register table`);
      if (!bit && !numeric(p)) add(['type'], `"${p.name}" lives in a register; make it type number (or use a coil for bool)`);
      if (p.direction === 'out' && (p.modbus.table === 'discrete' || p.modbus.table === 'input'))
        add(['modbus', 'table'], `output "${p.name}" cannot be written to the read-only ${p.modbus.table} table; use coil or holding`);
    }
  }
}

/**
 * Why `value` is not acceptable for point `p` (engineering units), or undefined if it is.
 * Never clamps: an out-of-range value is a rejection, not a correction.
 */
export function valueProblem(p: Pick<Point, 'name' | 'type' | 'min' | 'max' | 'values'>, value: unknown): string | undefined {
  switch (p.type) {
    case 'bool':
      return typeof value === 'boolean' ? undefined : `"${p.name}" takes true or false, got ${JSON.stringify(value)}`;
    case 'enum':
      if (typeof value !== 'string') return `"${p.name}" takes one of ${JSON.stringify(p.values ?? [])}, got ${JSON.stringify(value)}`;
      return p.values?.includes(value) ? undefined : `"${p.name}" takes one of ${JSON.stringify(p.values ?? [])}, got "${value}"`;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `"${p.name}" takes a finite number, got ${JSON.stringify(value)}`;
      if (p.min !== undefined && value < p.min) return `"${p.name}" = ${value} is below its minimum ${p.min}`;
      if (p.max !== undefined && value > p.max) return `"${p.name}" = ${value} is above its maximum ${p.max}`;
      return undefined;
    case 'number[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v))
        ? undefined
        : `"${p.name}" takes an array of finite numbers, got ${JSON.stringify(value)}`;
  }
}

/**
 * Every problem with a `write` command's values (unknown point, an input, wrong type, out
 * of range), in order; empty when the whole command may be applied. Used both to reject a
 * command at once (the node's `accept`) and by the core before applying it.
 */
export function writeProblems(points: readonly GatewayPoint[], values: Readonly<Record<string, unknown>>): Array<{ point: string; reason: string }> {
  const problems: { point: string; reason: string }[] = [];
  for (const [name, value] of Object.entries(values)) {
    const p = points.find((x) => x.name === name);
    if (!p || p.direction !== 'out') {
      const known = points.filter((x) => x.direction === 'out').map((x) => x.name).join(', ') || '(none)';
      problems.push({ point: name, reason: p ? `"${name}" is an input and cannot be written` : `no output named "${name}"; outputs are: ${known}` });
      continue;
    }
    const why = valueProblem(p, value);
    if (why) problems.push({ point: name, reason: `${why}; the command is rejected, not clamped` });
  }
  return problems;
}

/** The whole `params` block of a gateway node. */
export const gatewayParamsSchema = z
  .object({
    adapter: adapterOptionsSchema,
    points: z.array(gatewayPointSchema).min(1, 'declare at least one point under points:'),
    /** No command from the parent within this time → every output to its safe value. 0 turns the watchdog off. */
    watchdog_ms: z.number().nonnegative().default(1000),
    /** Per output: sustained writes per second, and how many may go back to back. */
    max_write_hz: z.number().positive().default(50),
    write_burst: z.number().int().positive().default(2),
    /** Sample rate for inputs that declare no rate_hz. */
    default_rate_hz: z.number().positive().default(10),
    /** Device reconnect backoff: first delay, doubling up to the max. */
    reconnect_min_ms: z.number().positive().default(100),
    reconnect_max_ms: z.number().positive().default(5000),
    /**
     * After this many unanswered requests in a row the device link counts as lost: it is
     * closed and reopened with the reconnect backoff. The OS does not report every lost
     * device (a pulled USB adapter can leave a silent port; a half-open TCP connection never
     * closes). 0 turns this off.
     */
    reopen_after_timeouts: z.number().int().nonnegative().default(3),
    /** An input with no good sample for this many of its periods is `stale`. */
    stale_periods: z.number().positive().default(3),
    /**
     * A command whose sender time is more than this before the gateway's birth is stale
     * and never applied. Allows for clock skew between machines in real time.
     */
    stale_tolerance_ms: z.number().nonnegative().default(0),
  })
  .strict()
  .superRefine((g, ctx) => {
    const seen = new Map<string, number>();
    g.points.forEach((p, i) => {
      const first = seen.get(p.name);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['points', i, 'name'], message: `point name "${p.name}" is already used by points[${first}]; names must be unique` });
      seen.set(p.name, i);
      checkPoint(p, g.adapter.type, (path, message) => ctx.addIssue({ code: 'custom', path: ['points', i, ...path], message }));
    });
    if (g.reconnect_min_ms > g.reconnect_max_ms)
      ctx.addIssue({ code: 'custom', path: ['reconnect_min_ms'], message: `reconnect_min_ms (${g.reconnect_min_ms}) is above reconnect_max_ms (${g.reconnect_max_ms})` });
  });
export type GatewayParams = z.output<typeof gatewayParamsSchema>;
export type GatewayParamsInput = z.input<typeof gatewayParamsSchema>;

/** The points as announced in the birth: the wire contract only, adapter addresses removed. */
export function birthPoints(params: Pick<GatewayParams, 'points'>): Point[] {
  return params.points.map(({ wire: _wire, modbus: _modbus, ...point }) => point);
}

/** Parses gateway params, throwing one error that lists every problem as `params.<path>: message`. */
export function parseGatewayParams(input: unknown, where = 'params'): GatewayParams {
  const r = gatewayParamsSchema.safeParse(input);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `  ${[where, ...i.path].map((s) => (typeof s === 'number' ? `[${s}]` : String(s))).join('.').replace(/\.\[/g, '[')}: ${i.message}`);
  throw new Error(`gateway ${where} are not valid:\n${lines.join('\n')}`);
}

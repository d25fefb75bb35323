import { createServer } from 'node:net';
import { ServerTCP } from 'modbus-serial';

/** The emulated device's memory; tests read and change it directly. */
export interface ModbusMemory {
  coils: boolean[];
  discrete: boolean[];
  holding: number[];
  input: number[];
}

/** A free TCP port on loopback (asked of the OS, then released for the server to take). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * A Modbus TCP server on 127.0.0.1 (modbus-serial's ServerTCP) over an in-memory map.
 * `stop` and `start` again at the same port emulate a device going away and coming back.
 */
export class ModbusTcpTestServer {
  readonly memory: ModbusMemory;
  /** While true the device takes requests and never answers (a hung PLC, a half-open link). */
  silent = false;
  private server: ServerTCP | undefined;

  private constructor(
    readonly port: number,
    memory: Partial<ModbusMemory>,
  ) {
    const zeros = <T>(v: T): T[] => Array.from({ length: 64 }, () => v);
    this.memory = { coils: zeros(false), discrete: zeros(false), holding: zeros(0), input: zeros(0), ...memory };
  }

  static async start(memory: Partial<ModbusMemory> = {}): Promise<ModbusTcpTestServer> {
    const s = new ModbusTcpTestServer(await freePort(), memory);
    await s.start();
    return s;
  }

  async start(): Promise<void> {
    const m = this.memory;
    // A vector function that returns a promise is answered when it settles: never, while silent.
    const answer = <T>(v: () => T): T | Promise<T> => (this.silent ? new Promise<T>(() => undefined) : v());
    const server = new ServerTCP(
      {
        getCoil: (addr: number) => answer(() => m.coils[addr] ?? false),
        getDiscreteInput: (addr: number) => answer(() => m.discrete[addr] ?? false),
        getHoldingRegister: (addr: number) => answer(() => m.holding[addr] ?? 0),
        getInputRegister: (addr: number) => answer(() => m.input[addr] ?? 0),
        setCoil: (addr: number, v: boolean) =>
          answer(() => {
            m.coils[addr] = v;
          }),
        setRegister: (addr: number, v: number) =>
          answer(() => {
            m.holding[addr] = v;
          }),
      },
      { host: '127.0.0.1', port: this.port, unitID: 1 },
    );
    await new Promise<void>((resolve, reject) => {
      server.on('initialized', () => resolve());
      server.on('serverError', (e) => reject(e ?? new Error('modbus test server failed to start')));
    });
    this.server = server;
  }

  /** Closes the server and drops every client connection. */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}

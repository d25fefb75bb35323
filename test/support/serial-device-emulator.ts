import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort, ReadlineParser } from 'serialport';
import { decodeLine, encodeLine, parseRequest } from '../../nodes/gateway/adapters/serial-line/line-protocol.js';

/** How the emulated device behaves. */
export type EmulatorMode = 'normal' | 'silent' | 'corrupt-crc';

export interface SerialEmulatorOptions {
  /** Wire name → value text (as on the wire: `1`, `12.5`, `open`, `1,2,3`). */
  values: Record<string, string>;
  baudRate?: number;
}

interface PtyPair {
  proc: ChildProcess;
  ptys: [string, string];
}

/**
 * Starts `socat` with a pseudo-terminal pair. Both ends get stable symlinks (`link=`), so
 * a restarted pair appears at the same paths as a replugged device would.
 */
async function startPtyPair(hostLink: string, deviceLink: string): Promise<PtyPair> {
  const proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${hostLink}`, `pty,raw,echo=0,link=${deviceLink}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const ready = new Promise<[string, string]>((resolve, reject) => {
    proc.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new Error('socat is not installed; the serial tests need it: run `apt-get install socat`') : e),
    );
    proc.on('exit', (code) => reject(new Error(`socat exited (code ${code}) before the pty pair was ready: ${err.trim()}`)));
    proc.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const ptys = [...err.matchAll(/PTY is (\/dev\/\S+)/g)].map((m) => m[1]);
      if (ptys.length >= 2 && err.includes('starting data transfer loop')) resolve([ptys[0], ptys[1]]);
    });
  });
  return { proc, ptys: await ready };
}

/**
 * A device that speaks the strata line protocol on one end of a pty pair made by socat.
 * The adapter under test opens {@link hostPath}. The emulator can be told to stop
 * answering, to corrupt CRCs, or to drop off the bus and come back.
 */
export class SerialDeviceEmulator extends EventEmitter {
  readonly hostPath: string;
  readonly devicePath: string;
  readonly values = new Map<string, string>();
  /** Every SET the device took, in order. */
  readonly sets: Array<{ name: string; value: string }> = [];
  mode: EmulatorMode = 'normal';
  private pair: PtyPair | undefined;
  private port: SerialPort | undefined;
  private readonly dir: string;

  private constructor(private readonly opts: SerialEmulatorOptions) {
    super();
    this.dir = mkdtempSync(join(tmpdir(), 'strata-serial-'));
    this.hostPath = join(this.dir, 'host');
    this.devicePath = join(this.dir, 'device');
    for (const [k, v] of Object.entries(opts.values)) this.values.set(k, v);
  }

  static async start(opts: SerialEmulatorOptions): Promise<SerialDeviceEmulator> {
    const emu = new SerialDeviceEmulator(opts);
    await emu.plugIn();
    return emu;
  }

  /** The pts paths socat reported for the current pair (host end, device end). */
  get ptys(): [string, string] | undefined {
    return this.pair?.ptys;
  }

  /** Drops the device off the bus: socat and both ptys go away. */
  async disconnect(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
    const pair = this.pair;
    this.pair = undefined;
    if (pair && pair.proc.exitCode === null) {
      const exited = once(pair.proc, 'exit');
      pair.proc.kill('SIGTERM');
      await exited;
    }
  }

  /** Brings the device back at the same paths. */
  async plugIn(): Promise<void> {
    this.pair = await startPtyPair(this.hostPath, this.devicePath);
    const port = new SerialPort({ path: this.devicePath, baudRate: this.opts.baudRate ?? 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    port.on('error', () => undefined);
    port.pipe(new ReadlineParser({ delimiter: '\n' })).on('data', (line: string) => this.onLine(port, line));
    this.port = port;
  }

  async stop(): Promise<void> {
    await this.disconnect();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Resolves at the next SET of `name` (any value, or the given one). */
  nextSet(name: string, value?: string): Promise<string> {
    return new Promise((resolve) => {
      const fn = (n: string, v: string): void => {
        if (n !== name || (value !== undefined && v !== value)) return;
        this.off('set', fn);
        resolve(v);
      };
      this.on('set', fn);
    });
  }

  private onLine(port: SerialPort, line: string): void {
    const d = decodeLine(line);
    this.emit('request', line);
    if (this.mode === 'silent') return;
    const reply = (body: string): void => {
      let text = encodeLine(body);
      if (this.mode === 'corrupt-crc') text = text.replace(/\*([0-9A-F]{2})\n$/, (_m, h: string) => `*${((parseInt(h, 16) + 1) & 0xff).toString(16).toUpperCase().padStart(2, '0')}\n`);
      port.write(text);
    };
    if (!d.ok) return reply(`ERR - E_FRAME ${d.fault}`);
    const req = parseRequest(d.body);
    if (!req) return reply(`ERR - E_SYNTAX cannot parse request`);
    if (!this.values.has(req.name)) return reply(`ERR ${req.name} E_UNKNOWN no such point`);
    if (req.kind === 'GET') return reply(`VAL ${req.name} ${this.values.get(req.name)}`);
    this.values.set(req.name, req.value);
    this.sets.push({ name: req.name, value: req.value });
    reply(`OK ${req.name}`);
    this.emit('set', req.name, req.value);
  }
}

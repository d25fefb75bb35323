import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1 (the OS picks; we release it for the broker). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface MosquittoOptions {
  port?: number;
  /** Lines after the listener (security, TLS). Default: anonymous clients allowed. */
  conf?: string;
  /** URL scheme the listener speaks. */
  scheme?: 'mqtt' | 'mqtts';
  /** A whole config snippet with its own listener (e.g. the one `strata acl` writes), used as-is. */
  snippet?: string;
  /** Log every message (default true; off for long runs, whose logs would grow large). */
  verbose?: boolean;
}

/**
 * A mosquitto the test starts with its own config on its own port (persistence off,
 * logging everything to stderr, which the test can read), never the machine's one.
 */
export class Mosquitto {
  log = '';
  private proc: ChildProcess | undefined;
  private logWaiters: Array<{ re: RegExp; resolve: () => void }> = [];

  private constructor(
    readonly port: number,
    readonly confFile: string,
    readonly url: string,
  ) {}

  static async start(o: MosquittoOptions = {}): Promise<Mosquitto> {
    const port = o.port ?? (await freePort());
    const dir = mkdtempSync(join(tmpdir(), 'strata-mosq-'));
    const confFile = join(dir, 'mosquitto.conf');
    const body = o.conf ?? 'allow_anonymous true';
    const head = o.snippet ?? `per_listener_settings false\nlistener ${port} 127.0.0.1\n${body}`;
    // As root, mosquitto drops to user "mosquitto", which cannot read the test's 0600 files.
    const user = process.getuid?.() === 0 ? 'user root\n' : '';
    writeFileSync(confFile, `${head}\n${user}persistence false\nlog_dest stderr\n${o.verbose === false ? 'log_type error\nlog_type warning\nlog_type notice\nlog_type information' : 'log_type all'}\nlog_timestamp false\n`);
    const m = new Mosquitto(port, confFile, `${o.scheme ?? 'mqtt'}://127.0.0.1:${port}`);
    await m.launch();
    return m;
  }

  /** Resolves when the broker's log shows a line matching `re` (already logged or yet to come). */
  waitForLog(re: RegExp, timeoutMs = 15_000): Promise<void> {
    if (re.test(this.log)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`mosquitto never logged ${re}; log tail:\n${this.log.slice(-2000)}`)), timeoutMs);
      this.logWaiters.push({ re, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  private async launch(): Promise<void> {
    const proc = spawn('mosquitto', ['-c', this.confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    const started = this.log.length;
    proc.stderr!.on('data', (d: Buffer) => {
      this.log += d.toString();
      this.logWaiters = this.logWaiters.filter((w) => (w.re.test(this.log) ? (w.resolve(), false) : true));
    });
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`mosquitto exited (${code}) at start; log:\n${this.log.slice(started)}`));
      proc.once('exit', onExit);
      const check = (): void => {
        if (/mosquitto version \S+ running/.test(this.log.slice(started))) {
          proc.off('exit', onExit);
          proc.stderr!.off('data', check);
          resolve();
        }
      };
      proc.stderr!.on('data', check);
    });
  }

  /** Kills the broker (SIGKILL: no goodbye to anyone) and waits for it to be gone. */
  async kill(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  }

  /** Starts it again on the same port with the same config (an empty broker: persistence is off). */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A child Node process running a TypeScript script (through tsx), driven by lines on stdin. */
export class ScriptChild {
  private readonly lines: string[] = [];
  private waiter: { prefix: string; resolve: (line: string) => void } | undefined;
  readonly proc: ChildProcess;

  constructor(script: string, args: string[]) {
    this.proc = spawn(process.execPath, [...process.execArgv, script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.proc.stdout! }).on('line', (line) => {
      if (this.waiter && line.startsWith(this.waiter.prefix)) {
        const w = this.waiter;
        this.waiter = undefined;
        w.resolve(line);
      } else this.lines.push(line);
    });
  }

  send(line: string): void {
    this.proc.stdin!.write(`${line}\n`);
  }

  /** The next line starting with `prefix` (already printed or yet to come). */
  expect(prefix: string, timeoutMs = 60_000): Promise<string> {
    const i = this.lines.findIndex((l) => l.startsWith(prefix));
    if (i >= 0) return Promise.resolve(this.lines.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child ${this.proc.pid}: no "${prefix}" line within ${timeoutMs} ms`)), timeoutMs);
      this.waiter = {
        prefix,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      };
    });
  }

  kill(): void {
    this.proc.kill('SIGKILL');
  }
}

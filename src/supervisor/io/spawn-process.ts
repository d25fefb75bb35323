import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Spawner } from '../supervisor.js';
import { LAUNCHER_PIPE_ENV } from './until-stopped.js';

/**
 * Spawns `strata <args>` as this process runs: the same Node binary, the same script,
 * and the same exec flags (under tsx, `--import tsx` travels in execArgv).
 */
export function strataSpawner(script = process.argv[1], execArgv = process.execArgv): Spawner {
  return (unit, onLine, onExit) => {
    const child = spawn(process.execPath, [...execArgv, script, ...unit.args], {
      // stdin is a pipe the child watches: if this launcher dies, it closes and the child
      // stops itself rather than run on as an orphan (see until-stopped.ts).
      env: { ...process.env, ...unit.env, FORCE_COLOR: '0', [LAUNCHER_PIPE_ENV]: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      // Own process group: a terminal's Ctrl-C reaches only the launcher, which then
      // stops the children in order instead of racing them (and restarting one).
      detached: true,
    });
    createInterface({ input: child.stdout }).on('line', (l) => onLine(l, 'out'));
    createInterface({ input: child.stderr }).on('line', (l) => onLine(l, 'err'));
    let exited = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (exited) return;
      exited = true;
      onExit(code, signal);
    };
    child.on('exit', finish);
    child.on('error', (err) => {
      onLine(`cannot start: ${err.message}`, 'err');
      finish(null, null);
    });
    return {
      get pid() {
        return child.pid;
      },
      kill: (signal) => {
        if (!exited) child.kill(signal);
      },
    };
  };
}

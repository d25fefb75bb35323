import type { Logger } from '../../log/logger.js';

/** Set by `strata launch` in its children's environment: their stdin is a pipe from the launcher. */
export const LAUNCHER_PIPE_ENV = 'STRATA_LAUNCHER_PIPE';

/**
 * Resolves, with the reason, when this node process should stop: on SIGINT or SIGTERM,
 * and — when `strata launch` started it — when the launcher is gone. A launcher killed
 * outright (SIGKILL, OOM) cannot stop its children; the pipe it holds to each child's
 * stdin closes with it, and the child stops itself: announces `offline`, ends its task,
 * disconnects. Otherwise an orphan would keep running, and fight the next launcher's
 * copy of the same node over its MQTT client id.
 */
export function untilStopped(log: Logger): Promise<string> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (reason: string): void => {
      if (done) return;
      done = true;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (process.env[LAUNCHER_PIPE_ENV] === '1') process.stdin.destroy();
      resolve(reason);
    };
    const onSignal = (): void => finish('stopped by signal');
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    if (process.env[LAUNCHER_PIPE_ENV] === '1') {
      // Our stdout and stderr are pipes to the launcher too: once it is gone, writing a log
      // line fails with EPIPE, which must not crash the node before it stops safely.
      for (const out of [process.stdout, process.stderr]) out.on('error', () => undefined);
      const gone = (): void => {
        if (done) return;
        log.warn('the launcher is gone (its pipe to this process closed): stopping safely');
        finish('the launcher is gone');
      };
      process.stdin.on('end', gone);
      process.stdin.on('close', gone);
      process.stdin.on('error', gone);
      process.stdin.resume();
    }
  });
}

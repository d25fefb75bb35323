/**
 * An AbortSignal that fires on Ctrl-C or SIGTERM (and after `afterMs` of wall time,
 * when given), so a tool can close its files before the process ends. `dispose`
 * removes the handlers.
 */
export function stopSignal(afterMs?: number): { signal: AbortSignal; reason: () => string; dispose: () => void } {
  const controller = new AbortController();
  let why = '';
  const stop = (reason: string) => () => {
    why ||= reason;
    controller.abort();
  };
  const onInt = stop('Ctrl-C');
  const onTerm = stop('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  const timer = afterMs !== undefined ? setTimeout(stop('duration reached'), afterMs) : undefined;
  return {
    signal: controller.signal,
    reason: () => why,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      if (timer) clearTimeout(timer);
    },
  };
}

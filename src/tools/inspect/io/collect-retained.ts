import type { MqttLink } from '../../../link/mqtt-link.js';

export interface CollectOptions {
  /** Done once no retained message has come for this long (wall ms). Default 300. */
  quietMs?: number;
  /** Done after this long in any case (wall ms). Default 3000. */
  maxMs?: number;
}

/**
 * Subscribes to `filters` and gathers what arrives until the broker has gone quiet:
 * no retained message for `quietMs` after the subscription, or `maxMs` in all. Brokers
 * send retained messages right after SUBACK but give no end marker, hence the wait.
 * Live messages that arrive meanwhile are kept too (they are newer).
 */
export async function collectRetained(link: MqttLink, filters: readonly string[], o: CollectOptions = {}): Promise<Array<{ topic: string; payload: string; retained: boolean }>> {
  const quietMs = o.quietMs ?? 300;
  const maxMs = o.maxMs ?? 3000;
  const got: Array<{ topic: string; payload: string; retained: boolean }> = [];
  let quiet: ReturnType<typeof setTimeout> | undefined;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let subscribed = false;
  const arm = (): void => {
    if (quiet) clearTimeout(quiet);
    quiet = setTimeout(finish, quietMs);
  };
  link.onMessage((topic, payload, retained) => {
    got.push({ topic, payload: payload.toString('utf8'), retained });
    if (retained && subscribed) arm();
  });
  await link.subscribe(filters.map((topic) => ({ topic, qos: 1 as const })));
  subscribed = true;
  arm();
  const cap = setTimeout(finish, maxMs);
  await done;
  clearTimeout(cap);
  if (quiet) clearTimeout(quiet);
  return got;
}

import { Option, type Command } from 'commander';
import { builtinKinds } from '../../nodes/index.js';
import { ConfigError } from '../config/config-problem.js';
import { loadConfig, type ConfigOverride } from '../config/load-config.js';
import type { ResolvedTree } from '../config/resolve-tree.js';
import { createLogger, type LogLevel, type Logger } from '../log/logger.js';

/** Exit codes: 0 ok, 1 the run failed, 2 bad usage or config. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The process logger, from the global `--log-level` / `--log-format` flags. */
export function loggerFor(cmd: Command): Logger {
  const o = cmd.optsWithGlobals() as { logLevel: LogLevel; logFormat?: 'json' | 'pretty' };
  return createLogger({ level: o.logLevel, format: o.logFormat });
}

/** Adds the broker flags every MQTT-speaking verb shares (see `connectBroker`). */
export function withBrokerOptions(c: Command): Command {
  return c
    .option('--broker <url>', 'join this MQTT broker (mqtt://host:port, mqtts://...) instead of starting the embedded one')
    .option('--username <name>', 'broker user name')
    .option('--password <secret>', 'broker password (or set STRATA_PASSWORD)')
    .option('--ca <file>', 'TLS: CA certificate (PEM) to trust')
    .option('--cert <file>', 'TLS: client certificate (PEM)')
    .option('--key <file>', 'TLS: client key (PEM)')
    .option('--insecure', 'TLS: do not check the broker certificate')
    .option('--port <n>', 'embedded broker: port on 127.0.0.1 (default: the config, else 1883; a free one if taken)')
    .addOption(new Option('--transport <kind>', 'embedded broker: how in-process nodes connect').choices(['memory', 'tcp']).default('memory'));
}

/** Loads a config with the built-in kinds (throws ConfigError listing every problem). */
export function loadTree(file: string, overrides: ConfigOverride[] = []): Promise<ResolvedTree> {
  return loadConfig(file, builtinKinds, overrides);
}

/** Ends the process for an error: a config's problems (exit 2) or anything else (exit 1). */
export function fail(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.report()}\n`);
    process.exit(EXIT.usage);
  }
  process.stderr.write(`strata: ${(err as Error).message}\n`);
  process.exit(EXIT.failed);
}

/** Wraps a verb's action so any error ends the process with a message and the right code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      fail(err);
    }
  };
}

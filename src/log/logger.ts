export const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];
export type LogFields = Record<string, unknown>;

/** A structured logger. Fields are data, not text, so JSON logs stay machine-readable. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose every line carries `fields` too (e.g. `{ node: 'pilot' }`). */
  child(fields: LogFields): Logger;
  readonly level: LogLevel;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface LoggerOptions {
  level?: LogLevel;
  /** `json`: one JSON object a line; `pretty`: readable lines. Default: pretty on a TTY, JSON otherwise. */
  format?: 'json' | 'pretty';
  /** Where lines go (default: stderr, so stdout stays free for a command's own output). */
  write?: (line: string) => void;
  /** Time stamp for each line (default: wall clock ISO time; virtual runs pass the virtual clock). */
  stamp?: () => string;
}

function pretty(level: LogLevel, message: string, fields: LogFields, stamp: string): string {
  const colour = { debug: '\x1b[90m', info: '\x1b[36m', warn: '\x1b[33m', error: '\x1b[31m', silent: '' }[level];
  const who = fields.node !== undefined ? `[${String(fields.node)}] ` : '';
  const rest = Object.entries(fields)
    .filter(([k]) => k !== 'node')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${'\x1b[90m'}${stamp}\x1b[0m ${colour}${level.padEnd(5)}\x1b[0m ${who}${message}${rest ? ` \x1b[90m${rest}\x1b[0m` : ''}`;
}

/** Makes the process logger. */
export function createLogger(options: LoggerOptions = {}, base: LogFields = {}): Logger {
  const level = options.level ?? 'info';
  const format = options.format ?? (process.stderr.isTTY ? 'pretty' : 'json');
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stamp = options.stamp ?? (() => new Date().toISOString());
  const emit = (lv: LogLevel, message: string, fields?: LogFields): void => {
    if (rank[lv] < rank[level]) return;
    const all = { ...base, ...fields };
    const ts = stamp();
    write(format === 'json' ? JSON.stringify({ time: ts, level: lv, msg: message, ...all }) : pretty(lv, message, all, ts));
  };
  return {
    level,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(options, { ...base, ...fields }),
  };
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = createLogger({ level: 'silent', write: () => undefined });

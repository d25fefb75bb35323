import type { Command } from 'commander';
import * as acl from './acl.js';
import * as dashboard from './dashboard.js';
import * as experiment from './experiment.js';
import * as inspect from './inspect.js';
import * as launch from './launch.js';
import * as record from './record.js';
import * as replay from './replay.js';
import * as schema from './schema.js';

/**
 * Verbs beyond run/node/validate/kinds, one module each under src/cli/commands/.
 * Each module exports `register(program)`.
 */
const modules: Array<{ register(program: Command): void }> = [launch, acl, inspect, record, replay, dashboard, experiment, schema];

export function registerMoreCommands(program: Command): void {
  for (const m of modules) m.register(program);
}

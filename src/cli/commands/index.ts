import type { Command } from 'commander';

/**
 * Verbs beyond run/node/validate/kinds, one module each under src/cli/commands/.
 * Each module exports `register(program)`.
 */
const modules: Array<{ register(program: Command): void }> = [];

export function registerMoreCommands(program: Command): void {
  for (const m of modules) m.register(program);
}

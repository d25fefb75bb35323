import type { Command } from 'commander';

/** Registers `strata dashboard` (to be written). */
export function register(_program: Command): void {}

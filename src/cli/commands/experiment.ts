import type { Command } from 'commander';

/** Registers `strata experiment` (to be written). */
export function register(_program: Command): void {}

import type { Command } from 'commander';

/** Registers `strata replay` (to be written). */
export function register(_program: Command): void {}

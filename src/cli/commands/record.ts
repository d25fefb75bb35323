import type { Command } from 'commander';

/** Registers `strata record` (to be written). */
export function register(_program: Command): void {}

import type { Command } from 'commander';

/** Registers `strata launch` (to be written). */
export function register(_program: Command): void {}

import type { Command } from 'commander';

/** Registers `strata schema` (to be written). */
export function register(_program: Command): void {}

import type { Command } from 'commander';

/** Registers `strata inspect` (to be written). */
export function register(_program: Command): void {}

import type { Command } from 'commander';

/** Registers `strata acl` (to be written). */
export function register(_program: Command): void {}

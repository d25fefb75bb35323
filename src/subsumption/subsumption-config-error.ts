/** One problem found in a subsumption config, at a path such as `wiring[2].suppress`. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** Thrown at load when a subsumption config is wrong; lists every problem found, each with its path. */
export class SubsumptionConfigError extends Error {
  constructor(
    readonly where: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      `${where}: ${issues.length === 1 ? '1 problem' : `${issues.length} problems`}:\n` +
        issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n'),
    );
    this.name = 'SubsumptionConfigError';
  }
}

/** Formats a zod issue path as config paths are written: `behaviors[2].params.stop_m`. */
export function issuePath(path: readonly PropertyKey[], prefix = ''): string {
  const text = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const joined = prefix + text;
  return (joined.startsWith('.') ? joined.slice(1) : joined) || '(root)';
}

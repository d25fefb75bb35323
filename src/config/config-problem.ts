import { LineCounter, parseDocument, type Document } from 'yaml';

/** One thing wrong with a config: where (path in the file), what, and what to do. */
export interface ConfigProblem {
  path: Array<string | number>;
  message: string;
  hint?: string;
}

/** Raised for an invalid config; carries every problem found, not just the first. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
    private readonly locate: (path: Array<string | number>) => string = () => '',
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the config`);
  }

  /** Every problem on its own line: `file:line:col path: message (hint)`. */
  report(): string {
    const lines = this.problems.map((p) => {
      const where = this.locate(p.path);
      const path = formatPath(p.path);
      return `  ${this.file}${where} ${path ? `${path}: ` : ''}${p.message}${p.hint ? `\n      hint: ${p.hint}` : ''}`;
    });
    return `${this.message}:\n${lines.join('\n')}`;
  }
}

/** `nodes[2].params.gain` */
export function formatPath(path: Array<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Parses YAML keeping positions, so problems can point at `file:line:col`. */
export function parseYamlWithPositions(text: string): { doc: Document; locate: (path: Array<string | number>) => string } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const locate = (path: Array<string | number>): string => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return `:${pos.line}:${pos.col}`;
      }
    }
    return '';
  };
  return { doc, locate };
}

/** The closest of `options` to `word` (edit distance), for "did you mean" hints. */
export function closest(word: string, options: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

import type { z } from 'zod';

/** One line per issue, each naming the file and the field, e.g. `maps/a.yaml: shapes.2.r: Too small: expected number to be >0`. */
export function formatZodError(source: string, error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
      return `${source}: ${path}: ${issue.message}`;
    })
    .join('\n');
}

/** Where a node sits in the tree and how it is timed: what the config says about it. */
export interface NodeSpec {
  id: string;
  kind: string;
  parent: string | null;
  children: string[];
  siblings: string[];
  level: number;
  periodMs: number;
  horizonMs: number;
  replanMs: number;
  parentPeriodMs: number;
  heartbeatMs: number;
  params: unknown;
  /** Folder of the config file (files named in params are relative to it). */
  baseDir: string;
  /** What to do with the current command when the parent goes offline (default: stop). */
  onParentLost?: 'stop' | 'continue';
}

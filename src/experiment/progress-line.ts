/** Where an experiment stands, for the progress bar. */
export interface ProgressState {
  done: number;
  failed: number;
  total: number;
  running: number;
  elapsedMs: number;
}

const clock = (ms: number): string => {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m${sec}s` : `${m}m${sec}s`;
};

/**
 * `[#######-------------] 7/20 runs · 1 failed · 2 running · 1m04s elapsed · ETA 2m10s`.
 * The ETA assumes the remaining runs take as long as the finished ones did, on average.
 */
export function formatProgress(p: ProgressState, width = 24): string {
  const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const eta = p.done === 0 ? 'ETA …' : p.done === p.total ? 'done' : `ETA ${clock((p.elapsedMs / p.done) * (p.total - p.done))}`;
  return [`${bar} ${p.done}/${p.total} runs`, ...(p.failed ? [`${p.failed} failed`] : []), ...(p.running ? [`${p.running} running`] : []), `${clock(p.elapsedMs)} elapsed`, eta].join(' · ');
}

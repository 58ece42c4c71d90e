/**
 * A coarse clock, cached like Redis's mstime in call(): refreshed once per
 * command (and per cron tick), so a command and everything it does see one
 * consistent "now". The wall clock is derived from the monotonic
 * performance.now() plus an offset that each cron tick re-reads from
 * Date.now(), so one cheap clock read per command serves both the cached
 * time and the command's duration.
 */
/** Wall-clock ms at performance.now() = 0, with sub-millisecond precision. */
let offsetMs = performance.timeOrigin;
let cachedMs = Date.now();

/** The cached wall-clock time in milliseconds (an integer, like Redis's mstime). */
export function nowMs(): number {
  return cachedMs;
}

/**
 * Refreshes the cached time from a performance.now() reading the caller
 * already has (call() times the command with it). Returns the reading.
 */
export function refreshClockAt(perfNow: number): number {
  cachedMs = Math.floor(offsetMs + perfNow);
  return perfNow;
}

/**
 * Re-reads the wall clock (cron). If the derived clock drifted from it by
 * more than a millisecond (the system clock was set or slewed), the offset
 * is corrected; within that, the precise offset is kept, since Date.now()
 * truncates to whole milliseconds.
 */
export function refreshClock(): number {
  const wall = Date.now();
  const perf = performance.now();
  const derived = offsetMs + perf;
  if (derived < wall || derived >= wall + 1) offsetMs = wall + 0.5 - perf;
  cachedMs = Math.floor(offsetMs + perf);
  return cachedMs;
}

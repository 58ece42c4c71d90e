/**
 * A coarse clock, cached like Redis's mstime in call(): refreshed once per
 * event-loop turn that processes commands, so a command (and everything it
 * does) sees one consistent "now" and the hot path makes no clock syscall.
 */
let cachedMs = Date.now();

/** The cached wall-clock time in milliseconds. */
export function nowMs(): number {
  return cachedMs;
}

/** Refreshes the cached time; call at the start of each batch of commands. */
export function refreshClock(): number {
  cachedMs = Date.now();
  return cachedMs;
}

/** Network address helpers shared by the server and its commands. */

/**
 * True for a peer address Redis counts as local (protected mode, DEBUG
 * under enable-debug-command local): exactly 127.0.0.1 or ::1, as Redis
 * 7.0 compares them (another 127.x.y.z address is an outside client), and
 * 127.0.0.1 as an IPv4-mapped address on a dual-stack listener.
 */
export function isLoopback(addr: string): boolean {
  return addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1';
}

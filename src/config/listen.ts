/**
 * What the `bind` and `port` options ask for, and a synchronous check that
 * it can be had. CONFIG SET must answer before Node binds sockets (which it
 * only reports asynchronously), so a short-lived helper process tries the
 * new addresses and reports the first failure; the server then rebinds.
 */
import { spawnSync } from 'node:child_process';

export interface ListenAddress {
  /** The address as `bind` writes it, without '-' ("*", "::*", "127.0.0.1"). */
  name: string;
  host: string;
  port: number;
  /** Prefixed with '-' in `bind`: skipped when the address does not exist here. */
  optional: boolean;
  /** IPv6 sockets are IPv6-only, like Redis's, so "*" and "::*" can share a port. */
  ipv6: boolean;
}

/** The TCP addresses of a `bind` text on `port` ("*" is every IPv4 address, "::*" every IPv6 one). */
export function listenAddresses(bind: string, port: number): ListenAddress[] {
  return bind
    .split(' ')
    .filter((b) => b !== '')
    .map((spec) => {
      const optional = spec.startsWith('-');
      const name = optional ? spec.slice(1) : spec;
      const host = name === '*' ? '0.0.0.0' : name === '::*' ? '::' : name;
      return { name, host, port, optional, ipv6: host.includes(':') };
    });
}

/** Error codes an optional address may fail with and be skipped. */
export function isMissingAddress(code: string | undefined): boolean {
  return code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT';
}

/** The C library's text for the bind errors that matter. */
export function bindErrorText(code: string | undefined): string {
  switch (code) {
    case 'EADDRINUSE':
      return 'Address already in use';
    case 'EADDRNOTAVAIL':
      return 'Cannot assign requested address';
    case 'EACCES':
      return 'Permission denied';
    case 'EAFNOSUPPORT':
      return 'Address family not supported by protocol';
    default:
      return code ?? 'unknown error';
  }
}

const PROBE = `
import net from 'node:net';
const addrs = JSON.parse(process.argv[1]);
const open = [];
let failed = null;
for (const a of addrs) {
  const srv = net.createServer();
  const err = await new Promise((resolve) => {
    srv.once('error', (e) => resolve(e.code ?? e.message));
    srv.listen({ host: a.host, port: a.port, ipv6Only: a.ipv6 }, () => resolve(null));
  });
  if (err === null) open.push(srv);
  else if (!(a.optional && (err === 'EADDRNOTAVAIL' || err === 'EAFNOSUPPORT'))) { failed = err; break; }
}
for (const s of open) s.close();
process.stdout.write(JSON.stringify(failed));
`;

/**
 * Tries to bind every address (then lets go). Returns null when all can be
 * bound (optional missing ones skipped), else the failing error code.
 */
export function probeListen(addrs: readonly ListenAddress[]): string | null {
  if (addrs.length === 0) return null;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, JSON.stringify(addrs)], { encoding: 'utf8', timeout: 10000 });
  if (r.status !== 0) return 'EPROBE';
  return JSON.parse(r.stdout) as string | null;
}

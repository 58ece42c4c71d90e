/**
 * What MONITOR clients and the slow log show of a command: Redis's MONITOR
 * line format, and the redaction of secrets (passwords in AUTH, HELLO …
 * AUTH, MIGRATE … AUTH/AUTH2) that neither may reveal.
 */
import type { Client } from './client.js';
import { quoteArg } from '../util/repr.js';

const REDACTED = '(redacted)';

/**
 * Positions of argv holding secrets, by command name: every argument of
 * AUTH; the user and password after HELLO's AUTH; the password(s) after
 * MIGRATE's AUTH/AUTH2. Returns null when nothing is secret.
 */
function secretPositions(argv: readonly string[]): number[] | null {
  const name = argv[0]!.toLowerCase();
  if (name === 'auth') return argv.map((_, i) => i).slice(1);
  if (name === 'hello' || name === 'migrate') {
    const out: number[] = [];
    for (let i = 1; i < argv.length; i++) {
      const w = argv[i]!.toLowerCase();
      if (name === 'hello' && w === 'auth') out.push(i + 1, i + 2);
      else if (name === 'migrate' && w === 'auth') out.push(i + 1);
      else if (name === 'migrate' && w === 'auth2') out.push(i + 1, i + 2);
    }
    return out.length === 0 ? null : out.filter((i) => i < argv.length);
  }
  return null;
}

/** argv with secret arguments replaced by "(redacted)" (the same array when none). */
export function redactArgv(argv: readonly string[]): readonly string[] {
  const secret = secretPositions(argv);
  if (secret === null) return argv;
  const out = argv.slice();
  for (const i of secret) out[i] = REDACTED;
  return out;
}

/**
 * One MONITOR line (nowUs: unix time in µs): `<sec>.<usec> [<db> <origin>] "arg" …`, where origin is
 * the client's address, "unix:<path>" for a Unix socket client, or "lua"
 * for a command run by a script (scriptCaller true).
 */
export function formatMonitorLine(c: Client, argv: readonly string[], nowUs: number, scriptCaller = false): string {
  const origin = scriptCaller ? 'lua' : c.unix ? `unix:${c.server.config.str('unixsocket')}` : c.addr;
  const usec = String(nowUs % 1e6).padStart(6, '0');
  let line = `${Math.floor(nowUs / 1e6)}.${usec} [${c.db.id} ${origin}]`;
  for (const a of redactArgv(argv)) line += ' ' + quoteArg(a);
  return line;
}

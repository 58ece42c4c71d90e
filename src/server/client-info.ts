/**
 * CLIENT LIST / CLIENT INFO lines: one line of "field=value" pairs per
 * client, with Redis 7.0.15's fields in its order.
 *
 * Buffer fields nodis cannot know the way Redis does are honest estimates:
 * qbuf is the unparsed input buffered (plus the command being executed,
 * for the client asking), qbuf-free is 0 (nodis keeps no spare query
 * buffer), argv-mem the bytes of the arguments of the command executing,
 * rbs/rbp the reply writer's 16 KiB buffer and what is in it, obl the reply
 * bytes not yet handed to the socket, oll/omem what the socket still holds,
 * and tot-mem their sum plus a fixed estimate of the per-client state.
 */
import type { Client } from './client.js';
import { kindLetters } from './client-kind.js';

/** Estimated bytes of a Client object with its parser and writer state. */
const CLIENT_STATE_BYTES = 2048;
/** Size of the reply writer's buffer (rbs). */
const REPLY_BUFFER_BYTES = 16 * 1024;

/** CLIENT LIST's flags: O monitor, S replica, M master, P pub/sub, x in MULTI, b blocked, d watched key changed, c closing after reply, U unix socket, e no-evict; N when none. */
export function clientFlags(c: Client): string {
  let f = kindLetters(c.kind);
  if (c.subscriptions.active) f += 'P';
  if (c.multi.active) f += 'x';
  if (c.blocked !== null || c.parkedArgv !== null) f += 'b';
  if (c.multi.dirty) f += 'd';
  if (c.closeAfterReply) f += 'c';
  if (c.unix) f += 'U';
  if (c.noEvict) f += 'e';
  return f === '' ? 'N' : f;
}

/** The RESP encoding size of argv (what the command took in the query buffer). */
function requestBytes(argv: readonly string[]): number {
  let n = 3 + String(argv.length).length;
  for (const a of argv) n += 5 + String(a.length).length + a.length;
  return n;
}

/**
 * The CLIENT LIST line for c (no line end). currentArgv is the argv of
 * the command now executing when c is the client asking, else null.
 */
export function clientInfoLine(c: Client, nowMs: number, currentArgv: readonly string[] | null): string {
  const qbuf = c.parser.pendingBytes + (currentArgv === null ? 0 : requestBytes(currentArgv));
  let argvMem = 0;
  if (currentArgv !== null) for (const a of currentArgv) argvMem += a.length;
  const obl = c.reply.pendingBytes;
  const omem = c.socket.writableLength;
  const oll = omem > 0 ? 1 : 0;
  const totMem = CLIENT_STATE_BYTES + qbuf + argvMem + REPLY_BUFFER_BYTES + omem;
  return (
    `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${c.fd} name=${c.name}` +
    ` age=${Math.floor((nowMs - c.createdAt) / 1000)} idle=${Math.floor((nowMs - c.lastInteraction) / 1000)}` +
    ` flags=${clientFlags(c)} db=${c.db.id} sub=${c.subscriptions.channels?.size ?? 0} psub=${c.subscriptions.patterns?.size ?? 0} ssub=${c.subscriptions.shardCount} multi=${c.multi.active ? c.multi.queue.length : -1}` +
    ` qbuf=${qbuf} qbuf-free=0 argv-mem=${argvMem} multi-mem=${c.multi.queuedBytes} rbs=${REPLY_BUFFER_BYTES} rbp=${Math.min(obl, REPLY_BUFFER_BYTES)}` +
    ` obl=${obl} oll=${oll} omem=${omem} tot-mem=${totMem} events=${omem > 0 ? 'rw' : 'r'}` +
    ` cmd=${c.lastCommand?.fullName ?? 'NULL'} user=${c.user} redir=-1 resp=${c.reply.resp}`
  );
}

/**
 * CLIENT subcommands: ID SETNAME GETNAME LIST INFO KILL PAUSE UNPAUSE
 * REPLY NO-EVICT HELP, with Redis 7.0.15's arguments, replies and errors.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { ReplyMode } from '../server/client.js';
import { PauseKind } from '../server/pause.js';
import { clientInfoLine } from '../server/client-info.js';
import { Err, ReplyError } from '../util/errors.js';
import { parseLL } from '../util/numbers.js';
import { nowMs } from '../util/clock.js';
import { validClientName } from './connection.js';
import { replyHelp, subcommandSyntaxError } from './help.js';
import type { ClientClass } from '../server/client-kind.js';

const HELP = [
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
];

/** Parses a TYPE argument; "slave" is "replica". Throws Redis's error for unknown names. */
function parseClientClass(name: string): ClientClass {
  const t = name.toLowerCase();
  if (t === 'normal' || t === 'master' || t === 'pubsub' || t === 'replica') return t;
  if (t === 'slave') return 'replica';
  throw new ReplyError(`ERR Unknown client type '${name}'`);
}

function clientId(c: Client): void {
  c.reply.int(c.id);
}

function clientSetname(c: Client, argv: string[]): void {
  const name = argv[2]!;
  if (!validClientName(name)) throw new ReplyError('ERR Client names cannot contain spaces, newlines or special characters.');
  c.name = name;
  c.reply.ok();
}

function clientGetname(c: Client): void {
  if (c.name === '') c.reply.nullBulk();
  else c.reply.bulk(c.name);
}

/** The CLIENT LIST line of `other`, as seen by c running argv. */
function lineFor(c: Client, other: Client, argv: string[]): string {
  return clientInfoLine(other, nowMs(), other === c ? argv : null) + '\n';
}

/** CLIENT LIST [TYPE type | ID id [id …]] */
function clientList(c: Client, argv: string[]): void {
  let pick: Iterable<Client> = c.server.clients.values();
  const opt = argv.length >= 3 ? argv[2]!.toLowerCase() : '';
  if (argv.length === 4 && opt === 'type') {
    const type = parseClientClass(argv[3]!);
    pick = [...c.server.clients.values()].filter((o) => o.clientClass === type);
  } else if (argv.length >= 4 && opt === 'id') {
    const list: Client[] = [];
    for (let i = 3; i < argv.length; i++) {
      const id = parseLL(argv[i]!);
      if (id === null) throw new ReplyError('ERR Invalid client ID');
      const o = c.server.clients.get(id);
      if (o !== undefined) list.push(o);
    }
    pick = list;
  } else if (argv.length !== 2) {
    throw new ReplyError(Err.syntax);
  }
  let text = '';
  for (const o of pick) text += lineFor(c, o, argv);
  c.reply.verbatim(text);
}

function clientInfo(c: Client, argv: string[]): void {
  c.reply.verbatim(lineFor(c, c, argv));
}

/** Closes `victim`; the caller itself is closed once this command's reply is out. */
function kill(c: Client, victim: Client): void {
  if (victim === c) c.closeAfterReply = true;
  else victim.close();
}

interface KillFilter {
  id: number | null;
  type: ClientClass | null;
  addr: string | null;
  laddr: string | null;
  user: string | null;
  skipMe: boolean;
}

/** Parses CLIENT KILL's option/value pairs (from argv[2]). */
function parseKillFilter(c: Client, argv: string[]): KillFilter {
  const f: KillFilter = { id: null, type: null, addr: null, laddr: null, user: null, skipMe: true };
  for (let i = 2; i < argv.length; i += 2) {
    if (i + 1 >= argv.length) throw new ReplyError(Err.syntax);
    const opt = argv[i]!.toLowerCase();
    const val = argv[i + 1]!;
    if (opt === 'id') {
      const id = parseLL(val);
      if (id === null || id <= 0) throw new ReplyError('ERR client-id should be greater than 0');
      f.id = id;
    } else if (opt === 'type') {
      f.type = parseClientClass(val);
    } else if (opt === 'addr') {
      f.addr = val;
    } else if (opt === 'laddr') {
      f.laddr = val;
    } else if (opt === 'user') {
      // Only the default user exists until ACLs are implemented.
      if (val !== 'default') throw new ReplyError(`ERR No such user '${val}'`);
      f.user = val;
    } else if (opt === 'skipme') {
      const v = val.toLowerCase();
      if (v !== 'yes' && v !== 'no') throw new ReplyError(Err.syntax);
      f.skipMe = v === 'yes';
    } else {
      throw new ReplyError(Err.syntax);
    }
  }
  return f;
}

function matchesKillFilter(c: Client, o: Client, f: KillFilter): boolean {
  return (
    (f.id === null || o.id === f.id) &&
    (f.type === null || o.clientClass === f.type) &&
    (f.addr === null || o.addr === f.addr) &&
    (f.laddr === null || o.laddr === f.laddr) &&
    (f.user === null || o.user === f.user) &&
    !(f.skipMe && o === c)
  );
}

/** CLIENT KILL addr (old form: OK or an error) | CLIENT KILL <filter> … (the number killed). */
function clientKill(c: Client, argv: string[]): void {
  const clients = c.server.clients;
  if (argv.length === 3) {
    const addr = argv[2]!;
    for (const o of clients.values()) {
      if (o.addr === addr) {
        kill(c, o);
        c.reply.ok();
        return;
      }
    }
    throw new ReplyError('ERR No such client');
  }
  const f = parseKillFilter(c, argv);
  let killed = 0;
  for (const o of [...clients.values()]) {
    if (!matchesKillFilter(c, o, f)) continue;
    kill(c, o);
    killed++;
  }
  c.reply.int(killed);
}

/** CLIENT PAUSE timeout [WRITE|ALL] */
function clientPause(c: Client, argv: string[]): void {
  const timeout = parseLL(argv[2]!);
  if (timeout === null) throw new ReplyError('ERR timeout is not an integer or out of range');
  if (timeout < 0) throw new ReplyError('ERR timeout is negative');
  let kind = PauseKind.All;
  if (argv.length === 4) {
    const mode = argv[3]!.toLowerCase();
    if (mode === 'write') kind = PauseKind.Write;
    else if (mode !== 'all') throw new ReplyError('ERR CLIENT PAUSE mode must be WRITE or ALL');
  } else if (argv.length > 4) {
    throw subcommandSyntaxError('CLIENT', argv[1]!);
  }
  c.server.pause.pause(kind, Date.now() + timeout);
  c.reply.ok();
}

function clientUnpause(c: Client): void {
  c.server.pause.unpause();
  c.reply.ok();
}

/** CLIENT REPLY ON|OFF|SKIP: only ON replies (the executor drops the others' replies). */
function clientReply(c: Client, argv: string[]): void {
  const mode = argv[2]!.toLowerCase();
  if (mode === 'on') {
    c.replyMode = ReplyMode.On;
    c.reply.ok();
  } else if (mode === 'off') {
    c.replyMode = ReplyMode.Off;
  } else if (mode === 'skip') {
    if (c.replyMode === ReplyMode.On) c.replyMode = ReplyMode.SkipNext;
  } else {
    throw new ReplyError(Err.syntax);
  }
}

/**
 * CLIENT UNBLOCK id [TIMEOUT|ERROR]: ends a blocked client's wait as if it
 * timed out, or with an UNBLOCKED error. Replies 1 when a client was
 * unblocked, else 0. The reason is checked before the id.
 */
function clientUnblock(c: Client, argv: string[]): void {
  if (argv.length > 4) throw subcommandSyntaxError('CLIENT', argv[1]!);
  let withError = false;
  if (argv.length === 4) {
    const reason = argv[3]!.toLowerCase();
    if (reason === 'error') withError = true;
    else if (reason !== 'timeout') throw new ReplyError(Err.unblockReason);
  }
  const id = parseLL(argv[2]!);
  if (id === null) throw new ReplyError(Err.notInteger);
  const target = c.server.clients.get(id);
  c.reply.int(target !== undefined && c.server.blocking.unblockByRequest(target, withError) ? 1 : 0);
}

function clientNoEvict(c: Client, argv: string[]): void {
  const v = argv[2]!.toLowerCase();
  if (v !== 'on' && v !== 'off') throw new ReplyError(Err.syntax);
  c.noEvict = v === 'on';
  c.reply.ok();
}

export const clientCommands: CommandDef[] = [
  { name: 'client|id', handler: clientId },
  { name: 'client|setname', handler: clientSetname },
  { name: 'client|getname', handler: clientGetname },
  { name: 'client|list', handler: clientList },
  { name: 'client|info', handler: clientInfo },
  { name: 'client|kill', handler: clientKill },
  { name: 'client|pause', handler: clientPause },
  { name: 'client|unpause', handler: clientUnpause },
  { name: 'client|reply', handler: clientReply },
  { name: 'client|no-evict', handler: clientNoEvict },
  { name: 'client|unblock', handler: clientUnblock },
  { name: 'client|help', handler: (c) => replyHelp(c, 'CLIENT', HELP) },
];

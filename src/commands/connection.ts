/**
 * Connection commands: PING ECHO QUIT SELECT AUTH HELLO RESET.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { ReplyMode } from '../server/client.js';
import { Err, ReplyError } from '../util/errors.js';
import { parseLL } from '../util/numbers.js';
import { REDIS_VERSION } from '../version.js';
import { ClientKind } from '../server/client-kind.js';

function ping(c: Client, argv: string[]): void {
  if (argv.length > 2) throw new ReplyError(Err.wrongArity('ping'));
  if (c.reply.resp === 2 && c.subscriptions.active) {
    // In RESP2 subscriber mode PING answers like a message: ["pong", argument or ""].
    c.reply.array(2);
    c.reply.bulk('pong');
    c.reply.bulk(argv.length === 2 ? argv[1]! : '');
    return;
  }
  if (argv.length === 2) c.reply.bulk(argv[1]!);
  else c.reply.simple('PONG');
}

function echo(c: Client, argv: string[]): void {
  c.reply.bulk(argv[1]!);
}

function quit(c: Client): void {
  c.reply.ok();
  c.closeAfterReply = true;
}

function select(c: Client, argv: string[]): void {
  const id = parseLL(argv[1]!);
  if (id === null) throw new ReplyError(Err.notInteger);
  if (id < 0 || id >= c.server.dbs.length) throw new ReplyError(Err.dbIndexOutOfRange);
  c.db = c.server.dbs[id]!;
  c.reply.ok();
}

/** Checks a username/password pair against requirepass (the default user only). */
function checkPassword(c: Client, user: string, pass: string): boolean {
  const required = c.server.config.str('requirepass');
  if (user !== 'default') return false;
  return required === '' || pass === required;
}

function authenticate(c: Client): void {
  c.authenticated = true;
  c.parser.unauthenticated = false;
}

function auth(c: Client, argv: string[]): void {
  if (argv.length > 3) throw new ReplyError(Err.syntax);
  const user = argv.length === 3 ? argv[1]! : 'default';
  const pass = argv[argv.length - 1]!;
  if (argv.length === 2 && c.server.config.str('requirepass') === '') {
    throw new ReplyError(
      'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
    );
  }
  if (!checkPassword(c, user, pass)) throw new ReplyError(Err.wrongPass);
  authenticate(c);
  c.reply.ok();
}

/** HELLO [protover [AUTH username password] [SETNAME clientname]] */
function hello(c: Client, argv: string[]): void {
  let ver = 0;
  let i = 1;
  if (argv.length >= 2) {
    const v = parseLL(argv[1]!);
    if (v === null) throw new ReplyError('ERR Protocol version is not an integer or out of range');
    ver = v;
    i = 2;
    if (ver < 2 || ver > 3) throw new ReplyError(Err.noProto);
  }
  let setName: string | null = null;
  for (; i < argv.length; i++) {
    const opt = argv[i]!.toLowerCase();
    const more = argv.length - i - 1;
    if (opt === 'auth' && more >= 2) {
      const user = argv[i + 1]!;
      const pass = argv[i + 2]!;
      if (!checkPassword(c, user, pass)) throw new ReplyError(Err.wrongPass);
      authenticate(c);
      i += 2;
    } else if (opt === 'setname' && more >= 1) {
      setName = argv[i + 1]!;
      if (!validClientName(setName)) throw new ReplyError('ERR Client names cannot contain spaces, newlines or special characters.');
      i += 1;
    } else {
      throw new ReplyError(`ERR Syntax error in HELLO option '${argv[i]!}'`);
    }
  }
  if (!c.authenticated) {
    throw new ReplyError(
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    );
  }
  if (setName !== null) c.name = setName;
  if (ver !== 0) c.reply.resp = ver as 2 | 3;
  const w = c.reply;
  w.map(7);
  w.bulk('server');
  w.bulk('redis');
  w.bulk('version');
  w.bulk(REDIS_VERSION);
  w.bulk('proto');
  w.int(w.resp);
  w.bulk('id');
  w.int(c.id);
  w.bulk('mode');
  w.bulk('standalone');
  w.bulk('role');
  w.bulk(c.server.isReplica() ? 'replica' : 'master');
  w.bulk('modules');
  w.array(0);
}

/** Client names may hold only printable ASCII without spaces (Redis's validateClientName). */
export function validClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) return false;
  }
  return true;
}

function reset(c: Client): void {
  c.db = c.server.dbs[0]!;
  c.reply.resp = 2;
  c.name = '';
  c.replyMode = ReplyMode.On;
  c.noEvict = false;
  c.server.monitors.delete(c);
  c.multi.discard(c.server.watches);
  c.server.pubsub.forget(c);
  c.kind &= ~ClientKind.Monitor;
  c.authenticated = c.server.config.str('requirepass') === '';
  c.parser.unauthenticated = !c.authenticated;
  c.reply.simple('RESET');
}

export const connectionCommands: CommandDef[] = [
  { name: 'ping', handler: ping },
  { name: 'echo', handler: echo },
  { name: 'quit', handler: quit },
  { name: 'select', handler: select },
  { name: 'auth', handler: auth },
  { name: 'hello', handler: hello },
  { name: 'reset', handler: reset },
];

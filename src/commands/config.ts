/**
 * CONFIG GET / SET / RESETSTAT / REWRITE / HELP, with Redis 7.0's replies
 * and error texts. The option table and value rules live in src/config.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { isLoopback } from '../util/net.js';
import { ConfigSetFailure, findOption, parseOption, wordsOfValue } from '../config/config.js';
import { ConfigError } from '../config/errors.js';
import type { OptionSpec } from '../config/options.js';
import { rewriteConfigFile } from '../config/rewrite.js';
import { Err, ReplyError } from '../util/errors.js';

const HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
  'HELP',
  '    Prints this help.',
];

function configGet(c: Client, argv: string[]): void {
  const pairs = c.server.config.match(argv.slice(2));
  c.reply.map(pairs.length);
  for (const [name, value] of pairs) {
    c.reply.bulk(name);
    c.reply.bulk(value);
  }
}

const setFailed = (name: string, reason: string) => `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`;

/** Whether this client may change protected options (dir, dbfilename) under enable-protected-configs. */
function mayChangeProtected(c: Client): boolean {
  const mode = c.server.config.str('enable-protected-configs');
  return mode === 'yes' || (mode === 'local' && (c.unix || isLoopback(c.socket.remoteAddress ?? '')));
}

/**
 * CONFIG SET name value [name value …]: all or nothing. First every name
 * is checked in order (unknown, immutable, protected, repeated), then
 * every value is validated, then all are applied; if applying one fails
 * (a port that cannot be bound …) the others are rolled back.
 */
function configSet(c: Client, argv: string[]): void {
  if ((argv.length - 2) % 2 !== 0) throw new ReplyError(Err.syntax);
  const picked: [string, OptionSpec, string][] = [];
  const seen = new Set<string>();
  for (let i = 2; i < argv.length; i += 2) {
    const name = argv[i]!;
    const o = findOption(name);
    if (o === undefined) throw new ReplyError(`ERR Unknown option or number of arguments for CONFIG SET - '${name}'`);
    if (o.immutable) throw new ReplyError(setFailed(name, "can't set immutable config"));
    if (o.protected && !mayChangeProtected(c)) throw new ReplyError(setFailed(name, "can't set protected config"));
    if (seen.has(name.toLowerCase())) throw new ReplyError(setFailed(name, 'duplicate parameter'));
    seen.add(name.toLowerCase());
    picked.push([name, o, argv[i + 1]!]);
  }
  const config = c.server.config;
  const changes: [OptionSpec, string][] = [];
  for (const [name, o, value] of picked) {
    try {
      changes.push([o, parseOption(o, wordsOfValue(o, value), config.get(o.name)!)]);
    } catch (e) {
      if (e instanceof ConfigError) throw new ReplyError(setFailed(name, e.message));
      throw e;
    }
  }
  try {
    config.setAll(changes);
  } catch (e) {
    if (!(e instanceof ConfigSetFailure)) throw e;
    const name = picked.find(([, o]) => o === e.option)![0];
    throw new ReplyError(setFailed(name, e.message));
  }
  c.reply.ok();
}

/** CONFIG RESETSTAT: server counters, sync counters, latency histograms and every command's statistics; the slow log stays. */
function configResetstat(c: Client): void {
  c.server.stats.reset();
  c.server.replication.resetStats();
  c.server.latency.resetHistograms();
  for (const cmd of c.server.commands.allWithSubcommands()) {
    cmd.calls = 0;
    cmd.usec = 0;
    cmd.rejectedCalls = 0;
    cmd.failedCalls = 0;
  }
  c.reply.ok();
}

function configRewrite(c: Client): void {
  const server = c.server;
  if (server.configFile === '') throw new ReplyError('ERR The server is running without a config file');
  try {
    rewriteConfigFile(server.config, server.configFile);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'EACCES' ? 'Permission denied' : (e as Error).message;
    server.logger.warning(`CONFIG REWRITE failed: ${reason}`);
    throw new ReplyError(`ERR Rewriting config file: ${reason}`);
  }
  server.logger.notice('CONFIG REWRITE executed with success.');
  c.reply.ok();
}

function configHelp(c: Client): void {
  c.reply.array(HELP.length);
  for (const line of HELP) c.reply.simple(line);
}

export const configCommands: CommandDef[] = [
  { name: 'config|get', handler: configGet },
  { name: 'config|set', handler: configSet },
  { name: 'config|resetstat', handler: configResetstat },
  { name: 'config|rewrite', handler: configRewrite },
  { name: 'config|help', handler: configHelp },
];

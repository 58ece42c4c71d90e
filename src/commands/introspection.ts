/**
 * Introspection commands: COMMAND (and its subcommands), SLOWLOG, LATENCY.
 *
 * COMMAND INFO/DOCS replay the metadata Redis 7.0 publishes for each
 * command (held by the command table) through the reply writer, so their
 * bytes equal Redis's in RESP2 and RESP3 for every command nodis serves.
 */
import { F, type CommandDef, type Command } from './table.js';
import type { Client } from '../server/client.js';
import { writeValue } from '../protocol/reply-parser.js';
import { Err, ReplyError } from '../util/errors.js';
import { parseLL } from '../util/numbers.js';
import { compileGlob } from '../util/glob.js';
import { findKeys, keySpecsOf, type FoundKey } from './keyspecs.js';
import { replyHelp, subcommandSyntaxError } from './help.js';
import { latencyDoctor, latencyGraph } from '../server/latency-report.js';

// ---- COMMAND ----

const COMMAND_HELP = [
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
];

/** Replies with the COMMAND INFO entries of cmds (null for a name that is not a command). */
function replyInfos(c: Client, cmds: readonly (Command | undefined)[]): void {
  c.reply.array(cmds.length);
  for (const cmd of cmds) {
    if (cmd === undefined) c.reply.nullBulk();
    else writeValue(c.reply, cmd.info);
  }
}

function command(c: Client): void {
  replyInfos(c, c.server.commands.all());
}

function commandCount(c: Client): void {
  c.reply.int(c.server.commands.all().length);
}

function commandInfo(c: Client, argv: string[]): void {
  const table = c.server.commands;
  replyInfos(c, argv.length === 2 ? table.all() : argv.slice(2).map((n) => table.lookupFull(n)));
}

function commandDocs(c: Client, argv: string[]): void {
  const table = c.server.commands;
  const cmds =
    argv.length === 2
      ? table.all()
      : argv
          .slice(2)
          .map((n) => table.lookupFull(n))
          .filter((x) => x !== undefined);
  c.reply.map(cmds.length);
  for (const cmd of cmds) {
    c.reply.bulk(cmd.fullName);
    writeValue(c.reply, cmd.docs);
  }
}

/** The ACL categories of a command ("@read" …) from its metadata. */
function aclCategories(cmd: Command): string[] {
  const cats = cmd.info.kind === 'array' ? cmd.info.items[6] : undefined;
  if (cats === undefined || (cats.kind !== 'set' && cats.kind !== 'array')) return [];
  return cats.items.map((v) => (v.kind === 'simple' || v.kind === 'bulk' ? v.value : ''));
}

/** COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern] */
function commandList(c: Client, argv: string[]): void {
  let keep: (cmd: Command) => boolean = () => true;
  if (argv.length === 5 && argv[2]!.toLowerCase() === 'filterby') {
    const kind = argv[3]!.toLowerCase();
    const arg = argv[4]!;
    if (kind === 'module') keep = () => false;
    else if (kind === 'aclcat') {
      const cat = '@' + arg.toLowerCase();
      keep = (cmd) => aclCategories(cmd).includes(cat);
    } else if (kind === 'pattern') {
      const match = compileGlob(arg, true);
      keep = (cmd) => match(cmd.fullName);
    } else throw new ReplyError(Err.syntax);
  } else if (argv.length !== 2) {
    throw new ReplyError(Err.syntax);
  }
  const names = c.server.commands.allWithSubcommands().filter(keep);
  c.reply.array(names.length);
  for (const cmd of names) c.reply.bulk(cmd.fullName);
}

/**
 * The command line in argv[2…] and its keys (null when it may have none
 * and has none), or Redis's GETKEYS error; a container's subcommand is
 * looked up when one is given.
 */
function keysOfCommandLine(c: Client, argv: string[]): { keys: FoundKey[] | null; line: string[] } {
  const line = argv.slice(2);
  let cmd = c.server.commands.lookup(line[0]!);
  if (cmd !== undefined && cmd.subcommands !== null && line.length >= 2) cmd = cmd.subcommands.get(line[1]!.toLowerCase());
  if (cmd === undefined) throw new ReplyError('ERR Invalid command specified');
  if (keySpecsOf(cmd).length === 0) throw new ReplyError('ERR The command has no key arguments');
  if ((cmd.arity > 0 && line.length !== cmd.arity) || line.length < -cmd.arity) {
    throw new ReplyError('ERR Invalid number of arguments specified for command');
  }
  const keys = findKeys(cmd, line);
  if (keys === null || keys.length === 0) {
    if ((cmd.flags & F.no_mandatory_keys) !== 0) return { keys: null, line };
    throw new ReplyError('ERR Invalid arguments specified for command');
  }
  return { keys, line };
}

function commandGetkeys(c: Client, argv: string[]): void {
  const { keys, line } = keysOfCommandLine(c, argv);
  if (keys === null) return c.reply.array(0);
  c.reply.array(keys.length);
  for (const k of keys) c.reply.bulk(line[k.pos]!);
}

function commandGetkeysAndFlags(c: Client, argv: string[]): void {
  const { keys, line } = keysOfCommandLine(c, argv);
  if (keys === null) return c.reply.array(0);
  c.reply.array(keys.length);
  for (const k of keys) {
    c.reply.array(2);
    c.reply.bulk(line[k.pos]!);
    c.reply.set(k.flags.length);
    for (const f of k.flags) c.reply.simple(f);
  }
}

// ---- SLOWLOG ----

const SLOWLOG_HELP = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
];

/** SLOWLOG GET [count]: newest first; count -1 means all, default 10. */
function slowlogGet(c: Client, argv: string[]): void {
  let count = 10;
  if (argv.length === 3) {
    const n = parseLL(argv[2]!);
    if (n === null || n < -1) throw new ReplyError('ERR count should be greater than or equal to -1');
    count = n === -1 ? Infinity : n;
  } else if (argv.length > 3) {
    throw subcommandSyntaxError('SLOWLOG', argv[1]!);
  }
  const entries = c.server.slowlog.entries.slice(0, Math.min(count, c.server.slowlog.entries.length));
  const w = c.reply;
  w.array(entries.length);
  for (const e of entries) {
    w.array(6);
    w.int(e.id);
    w.int(e.time);
    w.int(e.usec);
    w.array(e.argv.length);
    for (const a of e.argv) w.bulk(a);
    w.bulk(e.addr);
    w.bulk(e.name);
  }
}

// ---- LATENCY ----

const LATENCY_HELP = [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
];

/** LATENCY LATEST: [event, time of latest sample, latest ms, all-time max ms] per event. */
function latencyLatest(c: Client): void {
  const w = c.reply;
  const events = [...c.server.latency.events].filter(([, ev]) => ev.samples.length > 0);
  w.array(events.length);
  for (const [name, ev] of events) {
    const last = ev.samples[ev.samples.length - 1]!;
    w.array(4);
    w.bulk(name);
    w.int(last.time);
    w.int(last.latency);
    w.int(ev.max);
  }
}

function latencyHistory(c: Client, argv: string[]): void {
  const ev = c.server.latency.events.get(argv[2]!);
  const samples = ev?.samples ?? [];
  c.reply.array(samples.length);
  for (const s of samples) {
    c.reply.array(2);
    c.reply.int(s.time);
    c.reply.int(s.latency);
  }
}

function latencyReset(c: Client, argv: string[]): void {
  c.reply.int(c.server.latency.reset(argv.slice(2)));
}

function latencyDoctorCmd(c: Client): void {
  c.reply.verbatim(latencyDoctor(c.server.latency, c.server.config.num('slowlog-log-slower-than')));
}

function latencyGraphCmd(c: Client, argv: string[]): void {
  const name = argv[2]!;
  const ev = c.server.latency.events.get(name);
  if (ev === undefined || ev.samples.length === 0) throw new ReplyError(`ERR No samples available for event '${name}'`);
  c.reply.verbatim(latencyGraph(name, ev));
}

/** LATENCY HISTOGRAM [command …]: per command, its calls and cumulative latency distribution. */
function latencyHistogram(c: Client, argv: string[]): void {
  const hists = c.server.latency.histograms;
  let cmds: Command[];
  if (argv.length === 2) cmds = [...hists.keys()];
  else {
    cmds = [];
    for (const name of argv.slice(2)) {
      const cmd = c.server.commands.lookupFull(name);
      if (cmd === undefined) continue;
      if (cmd.subcommands !== null) cmds.push(...cmd.subcommands.values());
      cmds.push(cmd);
    }
    cmds = [...new Set(cmds)].filter((cmd) => hists.has(cmd));
  }
  const w = c.reply;
  w.map(cmds.length);
  for (const cmd of cmds) {
    const h = hists.get(cmd)!;
    const steps = h.cumulative();
    w.bulk(cmd.fullName);
    w.map(2);
    w.bulk('calls');
    w.int(h.total);
    w.bulk('histogram_usec');
    w.map(steps.length);
    for (const [label, count] of steps) {
      w.int(label);
      w.int(count);
    }
  }
}

export const introspectionCommands: CommandDef[] = [
  { name: 'command', handler: command },
  { name: 'command|count', handler: commandCount },
  { name: 'command|info', handler: commandInfo },
  { name: 'command|docs', handler: commandDocs },
  { name: 'command|list', handler: commandList },
  { name: 'command|getkeys', handler: commandGetkeys },
  { name: 'command|getkeysandflags', handler: commandGetkeysAndFlags },
  { name: 'command|help', handler: (c) => replyHelp(c, 'COMMAND', COMMAND_HELP) },
  { name: 'slowlog|get', handler: slowlogGet },
  { name: 'slowlog|len', handler: (c) => c.reply.int(c.server.slowlog.entries.length) },
  {
    name: 'slowlog|reset',
    handler: (c) => {
      c.server.slowlog.reset();
      c.reply.ok();
    },
  },
  { name: 'slowlog|help', handler: (c) => replyHelp(c, 'SLOWLOG', SLOWLOG_HELP) },
  { name: 'latency|latest', handler: latencyLatest },
  { name: 'latency|history', handler: latencyHistory },
  { name: 'latency|reset', handler: latencyReset },
  { name: 'latency|doctor', handler: latencyDoctorCmd },
  { name: 'latency|graph', handler: latencyGraphCmd },
  { name: 'latency|histogram', handler: latencyHistogram },
  { name: 'latency|help', handler: (c) => replyHelp(c, 'LATENCY', LATENCY_HELP) },
];

/**
 * The command table: the single source of truth for every command nodis
 * serves (DESIGN principle 2). Each family module exports CommandDefs (a
 * name and a handler); arity, flags, key positions and documentation come
 * from meta.json, which holds Redis 7.0's own description of each command,
 * so COMMAND INFO/DOCS, arity errors and flag-driven behaviour (read-only
 * replicas, MULTI, propagation, denyoom, noauth …) all agree with Redis.
 *
 * A command that has no handler is not in the table: it answers Redis's
 * unknown-command error and COMMAND does not list it.
 */
import metaJson from './meta.json' with { type: 'json' };
import { decodeCompact, type Compact } from './meta.js';
import type { RespValue } from '../protocol/reply-parser.js';
import type { Client } from '../server/client.js';
import type { LatencyHistogram } from '../server/histogram.js';

export type Handler = (c: Client, argv: string[]) => void;

export interface CommandDef {
  /** Lowercase name; "container|sub" for a subcommand (e.g. "config|get"). */
  name: string;
  handler: Handler;
  /** Flags Redis keeps to itself (COMMAND INFO does not show them): F.touches_arbitrary_keys. */
  internalFlags?: number;
}

/** Command flags as bits, named as in COMMAND INFO. */
export const F = {
  write: 1 << 0,
  readonly: 1 << 1,
  denyoom: 1 << 2,
  admin: 1 << 3,
  pubsub: 1 << 4,
  noscript: 1 << 5,
  blocking: 1 << 6,
  loading: 1 << 7,
  stale: 1 << 8,
  skip_monitor: 1 << 9,
  skip_slowlog: 1 << 10,
  fast: 1 << 11,
  no_auth: 1 << 12,
  may_replicate: 1 << 13,
  no_multi: 1 << 14,
  allow_busy: 1 << 15,
  no_mandatory_keys: 1 << 16,
  asking: 1 << 17,
  movablekeys: 1 << 18,
  /**
   * Internal, not in COMMAND INFO: the command may lazily expire keys it was
   * not given (SCAN, RANDOMKEY), whose DELs then go out on their own
   * rather than wrapped in MULTI/EXEC.
   */
  touches_arbitrary_keys: 1 << 19,
} as const;

const meta = metaJson as unknown as Record<string, { info: Compact; docs: Compact }>;

export class Command {
  /** Bit set of F flags. */
  readonly flags: number;
  readonly arity: number;
  readonly firstKey: number;
  readonly lastKey: number;
  readonly keyStep: number;
  /** Subcommands by lowercase name, for containers (CONFIG, CLIENT …). */
  readonly subcommands: Map<string, Command> | null;
  /** Statistics for INFO commandstats. */
  calls = 0;
  usec = 0;
  rejectedCalls = 0;
  failedCalls = 0;
  /** Durations since the last reset (LATENCY HISTOGRAM); created on first call. */
  latencyHistogram: LatencyHistogram | null = null;

  constructor(
    /** Full lowercase name: "get", "config|get". */
    readonly fullName: string,
    readonly handler: Handler | null,
    readonly info: RespValue,
    readonly docs: RespValue,
    subs: Command[] | null,
    internalFlags = 0,
  ) {
    if (info.kind !== 'array') throw new Error(`bad metadata for ${fullName}`);
    const [, arity, flags, first, last, step] = info.items;
    this.arity = Number((arity as { value: bigint }).value);
    this.firstKey = Number((first as { value: bigint }).value);
    this.lastKey = Number((last as { value: bigint }).value);
    this.keyStep = Number((step as { value: bigint }).value);
    let bits = 0;
    for (const f of (flags as { items: { value: string }[] }).items) {
      const bit = (F as Record<string, number>)[f.value];
      if (bit !== undefined) bits |= bit;
    }
    this.flags = bits | internalFlags;
    this.subcommands = subs === null ? null : new Map(subs.map((s) => [s.fullName.split('|')[1]!, s]));
  }

  /** The user-facing name ("config|get" for a subcommand), as in arity errors. */
  get name(): string {
    return this.fullName;
  }

  has(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }
}

/**
 * Builds the lookup table from family definitions. Containers are created
 * for subcommand definitions, and their metadata is narrowed to the
 * subcommands that exist.
 */
export class CommandTable {
  private readonly byName = new Map<string, Command>();

  constructor(defs: readonly CommandDef[]) {
    const top = new Map<string, CommandDef>();
    const subsOf = new Map<string, CommandDef[]>();
    for (const d of defs) {
      if (meta[d.name] === undefined) throw new Error(`no Redis metadata for command ${d.name}`);
      const bar = d.name.indexOf('|');
      if (bar === -1) top.set(d.name, d);
      else {
        const parent = d.name.slice(0, bar);
        let list = subsOf.get(parent);
        if (list === undefined) subsOf.set(parent, (list = []));
        list.push(d);
      }
    }
    for (const [name, d] of top) {
      if (!subsOf.has(name)) this.register(new Command(name, d.handler, infoOf(name, null), docsOf(name, null), null, d.internalFlags));
    }
    for (const [parent, subs] of subsOf) {
      const cmds = subs.map((s) => new Command(s.name, s.handler, infoOf(s.name, null), docsOf(s.name, null), null, s.internalFlags));
      const names = new Set(subs.map((s) => s.name));
      // A container may have its own handler for when it is called without a subcommand (COMMAND).
      this.register(new Command(parent, top.get(parent)?.handler ?? null, infoOf(parent, names), docsOf(parent, names), cmds));
    }
  }

  private register(cmd: Command): void {
    this.byName.set(cmd.fullName, cmd);
    this.byName.set(cmd.fullName.toUpperCase(), cmd);
  }

  /** Looks up a top-level command by its name as sent (any case). */
  lookup(name: string): Command | undefined {
    return this.byName.get(name) ?? this.byName.get(name.toLowerCase());
  }

  /** Every top-level command, each once. */
  all(): Command[] {
    return [...new Set(this.byName.values())];
  }

  /** Every command with each container's subcommands after it (COMMAND LIST, INFO commandstats). */
  allWithSubcommands(): Command[] {
    const out: Command[] = [];
    for (const cmd of this.all()) {
      out.push(cmd);
      if (cmd.subcommands !== null) out.push(...cmd.subcommands.values());
    }
    return out;
  }

  /** Looks up "name" or "container|sub" (COMMAND INFO/DOCS accept both). */
  lookupFull(name: string): Command | undefined {
    const lower = name.toLowerCase();
    const bar = lower.indexOf('|');
    if (bar === -1) return this.byName.get(lower);
    return this.byName.get(lower.slice(0, bar))?.subcommands?.get(lower.slice(bar + 1));
  }
}

/** COMMAND INFO metadata, with a container's subcommand list narrowed to `keep`. */
function infoOf(name: string, keep: Set<string> | null): RespValue {
  const info = decodeCompact(meta[name]!.info);
  if (keep === null || info.kind !== 'array') return info;
  const subs = info.items[9];
  if (subs !== undefined && (subs.kind === 'array' || subs.kind === 'set')) {
    subs.items = subs.items.filter((s) => s.kind === 'array' && keep.has((s.items[0] as { value: string }).value));
  }
  return info;
}

/** COMMAND DOCS metadata, with a container's subcommands narrowed to `keep`. */
function docsOf(name: string, keep: Set<string> | null): RespValue {
  const docs = decodeCompact(meta[name]!.docs);
  if (keep === null || docs.kind !== 'map') return docs;
  for (const entry of docs.entries) {
    const [k, v] = entry;
    if (k.kind === 'bulk' && k.value === 'subcommands' && v.kind === 'map') {
      v.entries = v.entries.filter(([sk]) => sk.kind === 'bulk' && keep.has(sk.value));
    }
  }
  return docs;
}

/**
 * The option table: every configuration option of Redis 7.0.15 (the names
 * and default texts its CONFIG GET * prints), with its type, bounds,
 * aliases and what nodis does with it. docs/config.md is the prose version.
 *
 * What an option means in nodis:
 * - honoured (the default): nodis acts on the value now, or stores it for the
 *   subsystem that reads it (persistence, data types, replication …);
 * - noEffect: accepted and shown, but meaningless in nodis (threads,
 *   allocator, defragmentation, lazy freeing, TLS details, cluster …);
 * - unsupported(text): a value that asks for something nodis lacks
 *   (appendonly yes, cluster-enabled yes, tls-port …); start-up stops with
 *   the returned message and CONFIG SET refuses it.
 *
 * An honoured option is either read where it is used (config.num/bool/str,
 * checked against this table at compile time through OptionName) or, when a
 * subsystem keeps something derived from it, names its apply step: the hook
 * the server runs when the value changes (server/config-apply.ts implements
 * every hook). options.test.ts proves that every honoured option is read
 * or applied somewhere, and that docs/config.md lists exactly the
 * options without effect.
 */
import { SPECIAL_PARSERS, type SpecialParser } from './special.js';

export type OptionType =
  /** yes / no. */
  | 'bool'
  /** A decimal integer (string2ll rules) within [min, max]. */
  | 'int'
  /** Bytes with an optional unit (k kb m mb g gb), printed as bytes. */
  | 'memory'
  /** Like memory, or "N%" of maxmemory (maxmemory-clients). */
  | 'memory-percent'
  /** An octal number (unixsocketperm), printed in octal. */
  | 'octal'
  /** One word of `values`. */
  | 'enum'
  /** Several words of `values` combined (shutdown-on-sigterm "save now"). */
  | 'flags'
  | 'string'
  /** Own syntax and normalised text: see special.ts. */
  | 'special';

/**
 * What the server must do when an option changes (beyond storing it): each
 * hook is one step of server/config-apply.ts. A hook may refuse the value by
 * throwing ConfigError; CONFIG SET then rolls back every option of the call.
 */
export const APPLY_HOOKS = [
  /** Move the TCP listeners (port, bind). */
  'listeners',
  /** Give every connected client's parser the new bulk length limit. */
  'parser-limits',
  'log-level',
  /** Reschedule the cron at the new rate (hz). */
  'cron-rate',
  'slowlog',
  'latency',
  'output-limits',
  'notifications',
  /** The memory limit: warn when already exceeded and start evicting. */
  'maxmemory',
  /** Eviction and LRU/LFU access tracking settings. */
  'eviction',
  'backlog-size',
  'min-replicas',
  /** The process's working directory (nodis-server only). */
  'working-dir',
] as const;
export type ApplyHook = (typeof APPLY_HOOKS)[number];

export interface OptionSpec<N extends string = string> {
  /** Canonical name, as CONFIG GET prints it. */
  readonly name: N;
  readonly aliases: readonly string[];
  readonly type: OptionType;
  /** Default in CONFIG GET's text form ('' for dir means the working directory). */
  readonly default: string;
  /** Cannot be changed by CONFIG SET. */
  readonly immutable: boolean;
  /** CONFIG SET needs enable-protected-configs (dir, dbfilename). */
  readonly protected: boolean;
  /** Not matched by CONFIG GET globs nor rewritten (test and debug knobs). */
  readonly hidden: boolean;
  /**
   * A nodis extension, not a Redis 7.0 option: not matched by CONFIG GET
   * globs (so CONFIG GET * stays redis-server's), but read, set and
   * rewritten by its exact name.
   */
  readonly extension: boolean;
  /** Inclusive bounds for numeric options. */
  readonly min: bigint;
  readonly max: bigint;
  /** Values outside [clamp] are brought inside it after validation (hz: 1..500). */
  readonly clamp: readonly [bigint, bigint] | null;
  /** Words of enum and flags options, in Redis's order. */
  readonly values: readonly string[];
  /** Accepted but has no effect in nodis. */
  readonly noEffect: boolean;
  /** Returns a message when this value asks for something nodis lacks. */
  readonly unsupported: ((text: string) => string | null) | null;
  /** For special options: validation, normalisation and rewrite form. */
  readonly special: SpecialParser | null;
  /** The step the server runs when the value changes, or null when readers take it live. */
  readonly apply: ApplyHook | null;
}

const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const UINT_MAX = 4294967295n;
const LLONG_MAX = 9223372036854775807n;
const ULLONG_MAX = 18446744073709551615n;
const MB = 1024 * 1024;

type Extra = Partial<Omit<OptionSpec, 'name' | 'type' | 'default'>>;

function opt<N extends string>(name: N, type: OptionType, def: string, extra: Extra = {}): OptionSpec<N> {
  return {
    name,
    type,
    default: def,
    aliases: [],
    immutable: false,
    protected: false,
    hidden: false,
    extension: false,
    min: 0n,
    max: LLONG_MAX,
    clamp: null,
    values: [],
    noEffect: false,
    unsupported: null,
    special: null,
    apply: null,
    ...extra,
  };
}

const bool = <N extends string>(name: N, def: 'yes' | 'no', extra?: Extra) => opt(name, 'bool', def, extra);
const int = <N extends string>(name: N, def: number, min: bigint, max: bigint, extra?: Extra) =>
  opt(name, 'int', String(def), { min, max, ...extra });
const mem = <N extends string>(name: N, def: number, min: bigint, max: bigint, extra?: Extra) =>
  opt(name, 'memory', String(def), { min, max, ...extra });
const enm = <N extends string>(name: N, def: string, values: readonly string[], extra?: Extra) =>
  opt(name, 'enum', def, { values, ...extra });
const str = <N extends string>(name: N, def: string, extra?: Extra) => opt(name, 'string', def, extra);
const special = <N extends string>(name: N, def: string, extra?: Extra) =>
  opt(name, 'special', def, { special: SPECIAL_PARSERS[name]!, ...extra });

/** Options that only mean something when nodis is a cluster node: accepted, no effect. */
const CLUSTER: Extra = { noEffect: true };
const NO_EFFECT: Extra = { noEffect: true };
const IMMUTABLE: Extra = { immutable: true };
const IMMUTABLE_NO_EFFECT: Extra = { immutable: true, noEffect: true };
const EXTENSION: Extra = { extension: true };
/**
 * Options of a command family nodis does not have yet (client tracking,
 * ACL, scripting, HyperLogLog, streams, client eviction): accepted and
 * shown, without effect until that family lands and reads them.
 */
const FAMILY_PENDING: Extra = { noEffect: true };

/** An unsupported() that refuses one value of an option. */
function refuses(bad: (text: string) => boolean, why: string): (text: string) => string | null {
  return (text) => (bad(text) ? why : null);
}

const SHUTDOWN_FLAGS = ['default', 'save', 'nosave', 'now', 'force'];
const LOGLEVELS = ['debug', 'verbose', 'notice', 'warning'];
const POLICIES = [
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'noeviction',
];

export const OPTIONS = [
  // Network and clients.
  int('port', 6379, 0n, 65535n, { apply: 'listeners' }),
  // Redis's built-in default is '* -::*'; nodis, like the stock redis.conf, listens on loopback only.
  special('bind', '127.0.0.1 -::1', { apply: 'listeners' }),
  str('bind-source-addr', ''),
  str('unixsocket', '', IMMUTABLE),
  opt('unixsocketperm', 'octal', '0', { min: 0n, max: 0o777n, immutable: true }),
  bool('protected-mode', 'yes'),
  int('tcp-backlog', 511, 0n, INT_MAX, IMMUTABLE),
  int('timeout', 0, 0n, INT_MAX),
  int('tcp-keepalive', 300, 0n, INT_MAX),
  int('socket-mark-id', 0, 0n, UINT_MAX, IMMUTABLE_NO_EFFECT),
  int('maxclients', 10000, 1n, UINT_MAX),
  mem('proto-max-bulk-len', 512 * MB, 1048576n, LLONG_MAX, { apply: 'parser-limits' }),
  mem('client-query-buffer-limit', 1024 * MB, 1048576n, LLONG_MAX),
  special('client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', { apply: 'output-limits' }),
  int('tracking-table-max-keys', 1000000, 0n, LLONG_MAX, FAMILY_PENDING),
  str('requirepass', ''),
  enm('acl-pubsub-default', 'resetchannels', ['allchannels', 'resetchannels'], FAMILY_PENDING),
  int('acllog-max-len', 128, 0n, LLONG_MAX, FAMILY_PENDING),
  str('aclfile', '', { immutable: true, unsupported: refuses((v) => v !== '', 'nodis has no ACL file support (aclfile)') }),
  enm('enable-protected-configs', 'no', ['no', 'yes', 'local'], IMMUTABLE),
  enm('enable-debug-command', 'no', ['no', 'yes', 'local'], IMMUTABLE),
  enm('enable-module-command', 'no', ['no', 'yes', 'local'], IMMUTABLE_NO_EFFECT),
  // Process, logging, start-up.
  bool('daemonize', 'no', IMMUTABLE),
  enm('supervised', 'no', ['upstart', 'systemd', 'auto', 'no'], IMMUTABLE_NO_EFFECT),
  str('pidfile', '', IMMUTABLE),
  enm('loglevel', 'notice', LOGLEVELS, { apply: 'log-level' }),
  str('logfile', '', IMMUTABLE),
  bool('syslog-enabled', 'no', {
    immutable: true,
    unsupported: refuses((v) => v === 'yes', 'nodis cannot log to syslog (syslog-enabled yes)'),
  }),
  str('syslog-ident', 'redis', IMMUTABLE_NO_EFFECT),
  enm(
    'syslog-facility',
    'local0',
    ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'],
    IMMUTABLE_NO_EFFECT,
  ),
  int('databases', 16, 1n, INT_MAX, IMMUTABLE),
  bool('always-show-logo', 'no', IMMUTABLE),
  bool('set-proc-title', 'yes', IMMUTABLE_NO_EFFECT),
  str('proc-title-template', '{title} {listen-addr} {server-mode}', NO_EFFECT),
  bool('crash-log-enabled', 'yes', NO_EFFECT),
  bool('crash-memcheck-enabled', 'yes', NO_EFFECT),
  bool('disable-thp', 'yes', IMMUTABLE_NO_EFFECT),
  str('ignore-warnings', '', NO_EFFECT),
  str('server_cpulist', '', IMMUTABLE_NO_EFFECT),
  str('bio_cpulist', '', IMMUTABLE_NO_EFFECT),
  str('aof_rewrite_cpulist', '', IMMUTABLE_NO_EFFECT),
  str('bgsave_cpulist', '', IMMUTABLE_NO_EFFECT),
  enm('oom-score-adj', 'no', ['no', 'yes', 'relative', 'absolute'], NO_EFFECT),
  special('oom-score-adj-values', '0 200 800', NO_EFFECT),
  int('io-threads', 1, 1n, 128n, IMMUTABLE_NO_EFFECT),
  bool('io-threads-do-reads', 'no', IMMUTABLE_NO_EFFECT),
  bool('jemalloc-bg-thread', 'yes', NO_EFFECT),
  opt('shutdown-on-sigint', 'flags', 'default', { values: SHUTDOWN_FLAGS }),
  opt('shutdown-on-sigterm', 'flags', 'default', { values: SHUTDOWN_FLAGS }),
  int('shutdown-timeout', 10, 0n, INT_MAX),
  // The event loop.
  int('hz', 10, 0n, INT_MAX, { clamp: [1n, 500n], apply: 'cron-rate' }),
  bool('dynamic-hz', 'yes', NO_EFFECT),
  int('active-expire-effort', 1, 1n, 10n),
  bool('activerehashing', 'yes', NO_EFFECT),
  int('busy-reply-threshold', 5000, 0n, LLONG_MAX, { aliases: ['lua-time-limit'], ...FAMILY_PENDING }),
  // Slow log and latency.
  int('slowlog-log-slower-than', 10000, -1n, LLONG_MAX, { apply: 'slowlog' }),
  int('slowlog-max-len', 128, 0n, LLONG_MAX),
  int('latency-monitor-threshold', 0, 0n, LLONG_MAX, { apply: 'latency' }),
  bool('latency-tracking', 'yes', { apply: 'latency' }),
  special('latency-tracking-info-percentiles', '50 99 99.9'),
  // Persistence (RDB): stored for the persistence work.
  special('save', '3600 1 300 100 60 10000'),
  special('dir', '', { protected: true, apply: 'working-dir' }),
  str('dbfilename', 'dump.rdb', { protected: true }),
  bool('stop-writes-on-bgsave-error', 'yes'),
  bool('rdbcompression', 'yes'),
  bool('rdbchecksum', 'yes', IMMUTABLE),
  bool('rdb-del-sync-files', 'no'),
  bool('rdb-save-incremental-fsync', 'yes', NO_EFFECT),
  // nodis validates every RDB file and RESTORE payload completely, whatever this says.
  enm('sanitize-dump-payload', 'no', ['no', 'yes', 'clients'], NO_EFFECT),
  int('rdb-key-save-delay', 0, INT_MIN, INT_MAX, { hidden: true }),
  int('key-load-delay', 0, INT_MIN, INT_MAX, { hidden: true }),
  // nodis's sliced loads serve clients every few milliseconds, not every so many bytes.
  int('loading-process-events-interval-bytes', 2 * MB, 1024n, INT_MAX, { hidden: true, noEffect: true }),
  // AOF: nodis has none.
  bool('appendonly', 'no', { unsupported: refuses((v) => v === 'yes', 'nodis has no AOF persistence (appendonly yes)') }),
  str('appendfilename', 'appendonly.aof', IMMUTABLE_NO_EFFECT),
  str('appenddirname', 'appendonlydir', IMMUTABLE_NO_EFFECT),
  enm('appendfsync', 'everysec', ['everysec', 'always', 'no'], NO_EFFECT),
  bool('no-appendfsync-on-rewrite', 'no', NO_EFFECT),
  int('auto-aof-rewrite-percentage', 100, 0n, INT_MAX, NO_EFFECT),
  mem('auto-aof-rewrite-min-size', 64 * MB, 0n, LLONG_MAX, NO_EFFECT),
  bool('aof-load-truncated', 'yes', NO_EFFECT),
  bool('aof-use-rdb-preamble', 'yes', NO_EFFECT),
  bool('aof-timestamp-enabled', 'no', NO_EFFECT),
  bool('aof-rewrite-incremental-fsync', 'yes', NO_EFFECT),
  bool('aof-disable-auto-gc', 'no', NO_EFFECT),
  // Replication: stored for the replication work.
  special('replicaof', '', { aliases: ['slaveof'], immutable: true }),
  str('masterauth', ''),
  str('masteruser', ''),
  bool('replica-serve-stale-data', 'yes', { aliases: ['slave-serve-stale-data'] }),
  bool('replica-read-only', 'yes', { aliases: ['slave-read-only'] }),
  bool('replica-ignore-maxmemory', 'yes', { aliases: ['slave-ignore-maxmemory'] }),
  bool('replica-lazy-flush', 'no', { aliases: ['slave-lazy-flush'], noEffect: true }),
  int('replica-priority', 100, 0n, INT_MAX, { aliases: ['slave-priority'] }),
  str('replica-announce-ip', '', { aliases: ['slave-announce-ip'] }),
  int('replica-announce-port', 0, 0n, 65535n, { aliases: ['slave-announce-port'] }),
  bool('replica-announced', 'yes'),
  bool('replica-ignore-disk-write-errors', 'no'),
  bool('repl-diskless-sync', 'yes'),
  int('repl-diskless-sync-delay', 5, 0n, INT_MAX),
  int('repl-diskless-sync-max-replicas', 0, 0n, INT_MAX),
  enm('repl-diskless-load', 'disabled', ['disabled', 'on-empty-db', 'swapdb']),
  bool('repl-disable-tcp-nodelay', 'no'),
  int('repl-ping-replica-period', 10, 1n, INT_MAX, { aliases: ['repl-ping-slave-period'] }),
  int('repl-timeout', 60, 1n, INT_MAX),
  mem('repl-backlog-size', MB, 1n, LLONG_MAX, { apply: 'backlog-size' }),
  int('repl-backlog-ttl', 3600, 0n, LLONG_MAX),
  int('min-replicas-to-write', 0, 0n, INT_MAX, { aliases: ['min-slaves-to-write'], apply: 'min-replicas' }),
  int('min-replicas-max-lag', 10, 0n, INT_MAX, { aliases: ['min-slaves-max-lag'] }),
  enm('propagation-error-behavior', 'ignore', ['ignore', 'panic', 'panic-on-replicas']),
  // Dual-channel full sync (Valkey 8's options; replica-full-sync-buffer-limit 0 = the replica hard output limit).
  bool('dual-channel-replication-enabled', 'no', EXTENSION),
  mem('replica-full-sync-buffer-limit', 0, 0n, LLONG_MAX, EXTENSION),
  // Memory limits and eviction: stored for the eviction work.
  mem('maxmemory', 0, 0n, ULLONG_MAX, { apply: 'maxmemory' }),
  enm('maxmemory-policy', 'noeviction', POLICIES, { apply: 'eviction' }),
  int('maxmemory-samples', 5, 1n, INT_MAX, { apply: 'eviction' }),
  int('maxmemory-eviction-tenacity', 10, 0n, 100n, { apply: 'eviction' }),
  opt('maxmemory-clients', 'memory-percent', '0', { min: 0n, max: LLONG_MAX, ...FAMILY_PENDING }),
  int('lfu-log-factor', 10, 0n, INT_MAX, { apply: 'eviction' }),
  int('lfu-decay-time', 1, 0n, INT_MAX, { apply: 'eviction' }),
  bool('lazyfree-lazy-eviction', 'no', NO_EFFECT),
  bool('lazyfree-lazy-expire', 'no'),
  bool('lazyfree-lazy-server-del', 'no', NO_EFFECT),
  bool('lazyfree-lazy-user-del', 'no', NO_EFFECT),
  bool('lazyfree-lazy-user-flush', 'no', NO_EFFECT),
  // Defragmentation: the JS heap is not ours to defragment.
  bool('activedefrag', 'no', NO_EFFECT),
  mem('active-defrag-ignore-bytes', 100 * MB, 1n, LLONG_MAX, NO_EFFECT),
  int('active-defrag-threshold-lower', 10, 0n, 1000n, NO_EFFECT),
  int('active-defrag-threshold-upper', 100, 0n, 1000n, NO_EFFECT),
  int('active-defrag-cycle-min', 1, 1n, 99n, NO_EFFECT),
  int('active-defrag-cycle-max', 25, 1n, 99n, NO_EFFECT),
  int('active-defrag-max-scan-fields', 1000, 1n, LLONG_MAX, NO_EFFECT),
  // Data type encodings: stored for the data-type work.
  int('hash-max-listpack-entries', 512, 0n, LLONG_MAX, { aliases: ['hash-max-ziplist-entries'] }),
  mem('hash-max-listpack-value', 64, 0n, LLONG_MAX, { aliases: ['hash-max-ziplist-value'] }),
  int('list-max-listpack-size', -2, INT_MIN, INT_MAX, { aliases: ['list-max-ziplist-size'] }),
  // Inner quicklist nodes are never compressed in memory (OBJECT ENCODING and RDB files are unaffected).
  int('list-compress-depth', 0, 0n, INT_MAX, NO_EFFECT),
  int('set-max-intset-entries', 512, 0n, LLONG_MAX),
  int('zset-max-listpack-entries', 128, 0n, LLONG_MAX, { aliases: ['zset-max-ziplist-entries'] }),
  mem('zset-max-listpack-value', 64, 0n, LLONG_MAX, { aliases: ['zset-max-ziplist-value'] }),
  mem('hll-sparse-max-bytes', 3000, 0n, LLONG_MAX, FAMILY_PENDING),
  mem('stream-node-max-bytes', 4096, 0n, LLONG_MAX, FAMILY_PENDING),
  int('stream-node-max-entries', 100, 0n, LLONG_MAX, FAMILY_PENDING),
  special('notify-keyspace-events', '', { apply: 'notifications' }),
  // Cluster: nodis is never a cluster node.
  bool('cluster-enabled', 'no', {
    immutable: true,
    unsupported: refuses((v) => v === 'yes', 'nodis has no cluster mode (cluster-enabled yes)'),
  }),
  str('cluster-config-file', 'nodes.conf', { immutable: true, ...CLUSTER }),
  int('cluster-port', 0, 0n, 65535n, { immutable: true, ...CLUSTER }),
  int('cluster-node-timeout', 15000, 0n, LLONG_MAX, CLUSTER),
  int('cluster-migration-barrier', 1, 0n, INT_MAX, CLUSTER),
  int('cluster-replica-validity-factor', 10, 0n, INT_MAX, { aliases: ['cluster-slave-validity-factor'], ...CLUSTER }),
  bool('cluster-replica-no-failover', 'no', { aliases: ['cluster-slave-no-failover'], ...CLUSTER }),
  bool('cluster-require-full-coverage', 'yes', CLUSTER),
  bool('cluster-allow-reads-when-down', 'no', CLUSTER),
  bool('cluster-allow-pubsubshard-when-down', 'yes', CLUSTER),
  bool('cluster-allow-replica-migration', 'yes', CLUSTER),
  str('cluster-announce-ip', '', CLUSTER),
  str('cluster-announce-hostname', '', CLUSTER),
  int('cluster-announce-port', 0, 0n, 65535n, CLUSTER),
  int('cluster-announce-bus-port', 0, 0n, 65535n, CLUSTER),
  int('cluster-announce-tls-port', 0, 0n, 65535n, CLUSTER),
  enm('cluster-preferred-endpoint-type', 'ip', ['ip', 'hostname', 'unknown-endpoint'], CLUSTER),
  mem('cluster-link-sendbuf-limit', 0, 0n, LLONG_MAX, CLUSTER),
  // TLS: nodis serves plain TCP only; a TLS port is refused, the rest is inert.
  int('tls-port', 0, 0n, 65535n, { unsupported: refuses((v) => v !== '0', 'nodis has no TLS support (tls-port)') }),
  str('tls-cert-file', '', NO_EFFECT),
  str('tls-key-file', '', NO_EFFECT),
  str('tls-key-file-pass', '', NO_EFFECT),
  str('tls-client-cert-file', '', NO_EFFECT),
  str('tls-client-key-file', '', NO_EFFECT),
  str('tls-client-key-file-pass', '', NO_EFFECT),
  str('tls-dh-params-file', '', NO_EFFECT),
  str('tls-ca-cert-file', '', NO_EFFECT),
  str('tls-ca-cert-dir', '', NO_EFFECT),
  str('tls-protocols', '', NO_EFFECT),
  str('tls-ciphers', '', NO_EFFECT),
  str('tls-ciphersuites', '', NO_EFFECT),
  bool('tls-prefer-server-ciphers', 'no', NO_EFFECT),
  bool('tls-session-caching', 'yes', NO_EFFECT),
  int('tls-session-cache-size', 20480, 0n, INT_MAX, NO_EFFECT),
  int('tls-session-cache-timeout', 300, 0n, INT_MAX, NO_EFFECT),
  enm('tls-auth-clients', 'yes', ['no', 'yes', 'optional'], NO_EFFECT),
  bool('tls-replication', 'no', NO_EFFECT),
  bool('tls-cluster', 'no', NO_EFFECT),
] as const;

/** The canonical name of an option: reads of the configuration are checked against the table at compile time. */
export type OptionName = (typeof OPTIONS)[number]['name'];

/** Old directives Redis 7.0 still reads from files and ignores. */
export const DEPRECATED_DIRECTIVES = new Set(['list-max-ziplist-entries', 'list-max-ziplist-value', 'lua-replicate-commands']);

/**
 * INFO: the server's report, section by section, with Redis 7.0's section
 * names, field names and number formats, and nodis's real values.
 *
 * A section is a title and a function producing "field:value" lines. The
 * sections asked for are resolved like Redis: no argument or "default" is
 * the default set; "all" is every section; "everything" is all plus module
 * sections (nodis has none); names are case-insensitive, may be combined,
 * and come out in the server's fixed order; unknown names add nothing.
 *
 * Subsystems that come later (replication, persistence, pub/sub …) add
 * their fields with addInfoFields(section, fn) instead of editing here.
 */
import os from 'node:os';
import { resolve as resolvePath } from 'node:path';
import type { Server } from './server.js';
import { REDIS_VERSION, VERSION } from '../version.js';
import { STARTUP_BYTES } from '../keyspace/memory.js';
import { ClientKind } from './client-kind.js';

type Lines = string[];
type SectionFn = (server: Server, out: Lines) => void;

interface Section {
  /** Lowercase name, as given to INFO. */
  name: string;
  title: string;
  inDefault: boolean;
  build: SectionFn;
}

/** Redis's bytesToHuman: "0B", "967.69K", "11.90M", "1.00G" … */
export function bytesToHuman(n: number): string {
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  let v = n / 1024;
  for (const u of units) {
    if (v < 1024 || u === 'P') return `${v.toFixed(2)}${u}`;
    v /= 1024;
  }
  return `${n}B`;
}

/** An option's value, or a fallback while the option is not in the table yet. */
function opt(server: Server, name: string, fallback: string): string {
  return server.config.get(name) ?? fallback;
}

const MULTIPLEXING: Record<string, string> = { linux: 'epoll', darwin: 'kqueue', freebsd: 'kqueue', openbsd: 'kqueue', win32: 'iocp' };

function serverSection(server: Server, out: Lines): void {
  const now = Date.now();
  const uptime = Math.floor((now - server.stats.startTime) / 1000);
  const hz = server.config.num('hz');
  out.push(
    `redis_version:${REDIS_VERSION}`,
    'redis_git_sha1:00000000',
    'redis_git_dirty:0',
    'redis_build_id:0',
    'redis_mode:standalone',
    `os:${os.type()} ${os.release()} ${os.machine()}`,
    'arch_bits:64',
    'monotonic_clock:POSIX clock_gettime',
    `multiplexing_api:${MULTIPLEXING[process.platform] ?? 'libuv'}`,
    'atomicvar_api:none',
    'gcc_version:0.0.0',
    `process_id:${process.pid}`,
    'process_supervised:no',
    `run_id:${server.runId}`,
    `tcp_port:${server.port}`,
    `server_time_usec:${Math.floor((performance.timeOrigin + performance.now()) * 1000)}`,
    `uptime_in_seconds:${uptime}`,
    `uptime_in_days:${Math.floor(uptime / 86400)}`,
    `hz:${hz}`,
    `configured_hz:${hz}`,
    `lru_clock:${Math.floor(now / 1000) & 0xffffff}`,
    `executable:${process.argv[1] !== undefined ? resolvePath(process.argv[1]) : process.execPath}`,
    `config_file:${server.configFile}`,
    'io_threads_active:0',
  );
  const shutdownIn = server.shutdown.msLeft;
  if (shutdownIn !== null) out.push(`shutdown_in_milliseconds:${shutdownIn}`);
  out.push(`nodis_version:${VERSION}`);
}

function clientsSection(server: Server, out: Lines): void {
  let normal = 0;
  let maxIn = 0;
  let maxOut = 0;
  for (const c of server.clients.values()) {
    if (!c.is(ClientKind.Replica)) normal++;
    if (c.parser.pendingBytes > maxIn) maxIn = c.parser.pendingBytes;
    if (c.outputBytes > maxOut) maxOut = c.outputBytes;
  }
  out.push(
    `connected_clients:${normal}`,
    'cluster_connections:0',
    `maxclients:${server.config.num('maxclients')}`,
    `client_recent_max_input_buffer:${maxIn}`,
    `client_recent_max_output_buffer:${maxOut}`,
    // Clients blocked on keys and clients whose command waits for a pause to end, as in Redis. No client-side caching yet.
    `blocked_clients:${server.blocking.blockedCount + server.pause.parkedCount}`,
    'tracking_clients:0',
    `clients_in_timeout_table:${server.blocking.withTimeout}`,
  );
}

const pct = (part: number, whole: number): string => (whole > 0 ? ((part / whole) * 100).toFixed(2) : '0.00');
const ratio = (a: number, b: number): string => (b > 0 ? (a / b).toFixed(2) : '0.00');

/**
 * INFO memory. used_memory and its split are the memory model's
 * (keyspace/memory.ts, the figure maxmemory is enforced against); the
 * allocator_* and RSS fields report the real process (V8 heap, buffers, RSS).
 */
function memorySection(server: Server, out: Lines): void {
  const m = process.memoryUsage();
  const { used, overhead, dataset, clients: clientsMem } = server.evictor.report();
  server.stats.peakMemory = Math.max(server.stats.peakMemory, used);
  const peak = server.stats.peakMemory;
  const startup = STARTUP_BYTES;
  const heap = m.heapUsed + m.external;
  const active = m.heapTotal + m.external;
  const maxmemory = server.config.num('maxmemory');
  out.push(
    `used_memory:${used}`,
    `used_memory_human:${bytesToHuman(used)}`,
    `used_memory_rss:${m.rss}`,
    `used_memory_rss_human:${bytesToHuman(m.rss)}`,
    `used_memory_peak:${peak}`,
    `used_memory_peak_human:${bytesToHuman(peak)}`,
    `used_memory_peak_perc:${pct(used, peak)}%`,
    `used_memory_overhead:${overhead}`,
    `used_memory_startup:${startup}`,
    `used_memory_dataset:${dataset}`,
    `used_memory_dataset_perc:${pct(dataset, used - startup)}%`,
    `allocator_allocated:${heap}`,
    `allocator_active:${active}`,
    `allocator_resident:${m.rss}`,
    `total_system_memory:${os.totalmem()}`,
    `total_system_memory_human:${bytesToHuman(os.totalmem())}`,
    'used_memory_lua:0',
    'used_memory_vm_eval:0',
    'used_memory_lua_human:0B',
    'used_memory_scripts_eval:0',
    'number_of_cached_scripts:0',
    'number_of_functions:0',
    'number_of_libraries:0',
    'used_memory_vm_functions:0',
    'used_memory_vm_total:0',
    'used_memory_vm_total_human:0B',
    'used_memory_functions:0',
    'used_memory_scripts:0',
    'used_memory_scripts_human:0B',
    `maxmemory:${maxmemory}`,
    `maxmemory_human:${bytesToHuman(maxmemory)}`,
    `maxmemory_policy:${server.config.str('maxmemory-policy')}`,
    `allocator_frag_ratio:${ratio(active, heap)}`,
    `allocator_frag_bytes:${active - heap}`,
    `allocator_rss_ratio:${ratio(m.rss, active)}`,
    `allocator_rss_bytes:${m.rss - active}`,
    `rss_overhead_ratio:${ratio(m.rss, m.rss)}`,
    'rss_overhead_bytes:0',
    `mem_fragmentation_ratio:${ratio(m.rss, used)}`,
    `mem_fragmentation_bytes:${m.rss - used}`,
    'mem_not_counted_for_evict:0',
    ...replicationMemory(server),
    `mem_clients_normal:${clientsMem}`,
    'mem_cluster_links:0',
    'mem_aof_buffer:0',
    `mem_allocator:v8-${process.versions.v8}`,
    'active_defrag_running:0',
    'lazyfree_pending_objects:0',
    'lazyfreed_objects:0',
  );
}

/**
 * mem_replication_backlog (the backlog's ring buffer, allocated whole),
 * mem_total_replication_buffers (that plus what replicas are owed and not
 * yet sent) and mem_clients_slaves (the replicas' part). nodis has no
 * shared replication buffer as Redis 7.0 has: each replica's pending
 * bytes are its own.
 */
function replicationMemory(server: Server): string[] {
  const backlog = server.replication.backlog?.size ?? 0;
  let owed = 0;
  for (const r of server.replication.primary.replicas.values()) owed += r.outputBytes;
  return [`mem_replication_backlog:${backlog}`, `mem_total_replication_buffers:${backlog + owed}`, `mem_clients_slaves:${owed}`];
}

function persistenceSection(server: Server, out: Lines): void {
  out.push(
    `loading:${server.persistence.isLoading ? 1 : 0}`,
    'async_loading:0',
    ...server.persistence.infoFields(),
    'aof_enabled:0',
    'aof_rewrite_in_progress:0',
    'aof_rewrite_scheduled:0',
    'aof_last_rewrite_time_sec:-1',
    'aof_current_rewrite_time_sec:-1',
    'aof_last_bgrewrite_status:ok',
    'aof_rewrites:0',
    'aof_rewrites_consecutive_failures:0',
    'aof_last_write_status:ok',
    'aof_last_cow_size:0',
    'module_fork_in_progress:0',
    'module_fork_last_cow_size:0',
    ...server.persistence.loadingInfo(),
  );
}

function statsSection(server: Server, out: Lines): void {
  const s = server.stats;
  out.push(
    `total_connections_received:${s.connectionsReceived}`,
    `total_commands_processed:${s.commandsProcessed}`,
    `instantaneous_ops_per_sec:${Math.round(s.opsPerSec.value)}`,
    `total_net_input_bytes:${s.netInputBytes}`,
    `total_net_output_bytes:${s.netOutputBytes}`,
    `total_net_repl_input_bytes:${s.netReplInputBytes}`,
    `total_net_repl_output_bytes:${s.netReplOutputBytes}`,
    `instantaneous_input_kbps:${(s.inputBytesPerSec.value / 1024).toFixed(2)}`,
    `instantaneous_output_kbps:${(s.outputBytesPerSec.value / 1024).toFixed(2)}`,
    `instantaneous_input_repl_kbps:${(s.replInputBytesPerSec.value / 1024).toFixed(2)}`,
    `instantaneous_output_repl_kbps:${(s.replOutputBytesPerSec.value / 1024).toFixed(2)}`,
    `rejected_connections:${s.rejectedConnections}`,
    `sync_full:${server.replication.syncFull}`,
    `sync_partial_ok:${server.replication.syncPartialOk}`,
    `sync_partial_err:${server.replication.syncPartialErr}`,
    `expired_keys:${s.expiredKeys}`,
    'expired_stale_perc:0.00',
    'expired_time_cap_reached_count:0',
    'expire_cycle_cpu_milliseconds:0',
    `evicted_keys:${s.evictedKeys}`,
    'evicted_clients:0',
    'total_eviction_exceeded_time:0',
    'current_eviction_exceeded_time:0',
    `keyspace_hits:${s.keyspaceHits}`,
    `keyspace_misses:${s.keyspaceMisses}`,
    `pubsub_channels:${server.pubsub.channelCount}`,
    `pubsub_patterns:${server.pubsub.patternCount}`,
    `pubsubshard_channels:${server.pubsub.shardChannelCount}`,
    'latest_fork_usec:0',
    'total_forks:0',
    'migrate_cached_sockets:0',
    `slave_expires_tracked_keys:${server.replicaLink.ownExpiresTracked}`,
    'active_defrag_hits:0',
    'active_defrag_misses:0',
    'active_defrag_key_hits:0',
    'active_defrag_key_misses:0',
    'total_active_defrag_time:0',
    'current_active_defrag_time:0',
    'tracking_total_keys:0',
    'tracking_total_items:0',
    'tracking_total_prefixes:0',
    `unexpected_error_replies:${s.unexpectedErrorReplies}`,
    `total_error_replies:${s.errorReplies}`,
    'dump_payload_sanitizations:0',
    `total_reads_processed:${s.readsProcessed}`,
    `total_writes_processed:${s.writesProcessed}`,
    'io_threaded_reads_processed:0',
    'io_threaded_writes_processed:0',
    'reply_buffer_shrinks:0',
    'reply_buffer_expands:0',
  );
}

function replicationSection(server: Server, out: Lines): void {
  const role = server.isReplica() ? server.replicaLink.infoLines() : ['role:master'];
  out.push(
    ...role,
    ...server.replication.primary.info(),
    `master_failover_state:${server.replication.failover.stateName}`,
    ...server.replication.historyInfo(),
  );
}

/** CPU seconds from microseconds, as "%ld.%06ld". */
const cpuSeconds = (usec: number): string => `${Math.floor(usec / 1e6)}.${String(Math.floor(usec % 1e6)).padStart(6, '0')}`;

function cpuSection(_server: Server, out: Lines): void {
  const u = process.cpuUsage();
  // Node runs commands on the main thread; the process figures are the closest measure of it.
  out.push(
    `used_cpu_sys:${cpuSeconds(u.system)}`,
    `used_cpu_user:${cpuSeconds(u.user)}`,
    'used_cpu_sys_children:0.000000',
    'used_cpu_user_children:0.000000',
    `used_cpu_sys_main_thread:${cpuSeconds(u.system)}`,
    `used_cpu_user_main_thread:${cpuSeconds(u.user)}`,
  );
}

function commandstatsSection(server: Server, out: Lines): void {
  for (const cmd of server.commands.allWithSubcommands()) {
    if (cmd.calls === 0 && cmd.failedCalls === 0 && cmd.rejectedCalls === 0) continue;
    const perCall = cmd.calls === 0 ? 0 : cmd.usec / cmd.calls;
    out.push(
      `cmdstat_${cmd.fullName}:calls=${cmd.calls},usec=${Math.floor(cmd.usec)},usec_per_call=${perCall.toFixed(2)},rejected_calls=${cmd.rejectedCalls},failed_calls=${cmd.failedCalls}`,
    );
  }
}

function errorstatsSection(server: Server, out: Lines): void {
  const codes = [...server.stats.errorsByCode.keys()].sort();
  for (const code of codes) out.push(`errorstat_${code}:count=${server.stats.errorsByCode.get(code)!}`);
}

function latencystatsSection(server: Server, out: Lines): void {
  const percentiles = opt(server, 'latency-tracking-info-percentiles', '50 99 99.9')
    .split(' ')
    .filter((p) => p !== '')
    .map(Number);
  for (const [cmd, h] of server.latency.histograms) {
    const parts = percentiles.map((p) => `p${p}=${(h.percentile(p) / 1000).toFixed(3)}`);
    out.push(`latency_percentiles_usec_${cmd.fullName}:${parts.join(',')}`);
  }
}

function keyspaceSection(server: Server, out: Lines): void {
  for (const db of server.dbs) {
    if (db.size === 0) continue;
    out.push(`db${db.id}:keys=${db.size},expires=${db.expires.size},avg_ttl=${Math.floor(db.avgTtl)}`);
  }
}

const SECTIONS: Section[] = [
  { name: 'server', title: 'Server', inDefault: true, build: serverSection },
  { name: 'clients', title: 'Clients', inDefault: true, build: clientsSection },
  { name: 'memory', title: 'Memory', inDefault: true, build: memorySection },
  { name: 'persistence', title: 'Persistence', inDefault: true, build: persistenceSection },
  { name: 'stats', title: 'Stats', inDefault: true, build: statsSection },
  { name: 'replication', title: 'Replication', inDefault: true, build: replicationSection },
  { name: 'cpu', title: 'CPU', inDefault: true, build: cpuSection },
  { name: 'modules', title: 'Modules', inDefault: true, build: () => undefined },
  { name: 'commandstats', title: 'Commandstats', inDefault: false, build: commandstatsSection },
  { name: 'errorstats', title: 'Errorstats', inDefault: true, build: errorstatsSection },
  { name: 'latencystats', title: 'Latencystats', inDefault: false, build: latencystatsSection },
  { name: 'cluster', title: 'Cluster', inDefault: true, build: (_s, out) => void out.push('cluster_enabled:0') },
  { name: 'keyspace', title: 'Keyspace', inDefault: true, build: keyspaceSection },
];

const extraFields = new Map<string, SectionFn[]>();

/**
 * Registers more fields for a section (e.g. replication adds its replicas'
 * lines); fn appends "field:value" lines after the section's own.
 */
export function addInfoFields(section: string, fn: SectionFn): void {
  let list = extraFields.get(section);
  if (list === undefined) extraFields.set(section, (list = []));
  list.push(fn);
}

/** Which sections INFO's arguments select (see the file comment). */
function selectSections(args: readonly string[]): Section[] {
  if (args.length === 0) return SECTIONS.filter((s) => s.inDefault);
  const wanted = new Set<string>();
  let all = false;
  let defaults = false;
  for (const a of args) {
    const name = a.toLowerCase();
    if (name === 'all' || name === 'everything') all = true;
    else if (name === 'default') defaults = true;
    else wanted.add(name);
  }
  return SECTIONS.filter((s) => all || (defaults && s.inDefault) || wanted.has(s.name));
}

/** The INFO text for the given arguments: sections separated by a blank line, CRLF line ends. */
export function buildInfo(server: Server, args: readonly string[]): string {
  const parts: string[] = [];
  for (const s of selectSections(args)) {
    const lines: Lines = [`# ${s.title}`];
    s.build(server, lines);
    for (const fn of extraFields.get(s.name) ?? []) fn(server, lines);
    parts.push(lines.join('\r\n') + '\r\n');
  }
  return parts.join('\r\n');
}

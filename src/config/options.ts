/**
 * The option table: every configuration option nodis accepts, with its type,
 * default (as CONFIG GET prints it), aliases and what applying it means.
 * Defaults and names follow Redis 7.0's redis.conf / CONFIG GET *.
 *
 * Kinds of option:
 * - effective: nodis honours the value (port, bind, hz, requirepass …);
 * - noEffect: accepted and shown by CONFIG GET, but meaningless in nodis
 *   (activerehashing, jemalloc-bg-thread …); listed in the README;
 * - unsupported(value): returns a message when the value asks for something
 *   nodis lacks (appendonly yes, loadmodule …): start-up stops with it.
 */

export type OptionType = 'bool' | 'int' | 'memory' | 'enum' | 'string' | 'special';

export interface OptionSpec {
  /** Canonical name, as CONFIG GET prints it. */
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly type: OptionType;
  /** Default in CONFIG GET's text form. */
  readonly default: string;
  /** Cannot be changed by CONFIG SET. */
  readonly immutable?: boolean;
  /** Inclusive bounds for int and memory options. */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values for enum options. */
  readonly values?: readonly string[];
  /** Accepted but has no effect in nodis. */
  readonly noEffect?: boolean;
  /** Returns an error text if this value asks for something nodis lacks. */
  readonly unsupported?: (value: string) => string | null;
  /**
   * For 'special' options: validates and normalises the argument words into
   * CONFIG GET's text, or throws an Error whose message is the reason.
   */
  readonly normalize?: (args: readonly string[]) => string;
}

const MB = 1024 * 1024;

export const OPTIONS: readonly OptionSpec[] = [
  { name: 'port', type: 'int', default: '6379', min: 0, max: 65535 },
  { name: 'bind', type: 'special', default: '127.0.0.1 -::1', normalize: (a) => a.join(' ') },
  { name: 'unixsocket', type: 'string', default: '', immutable: true },
  { name: 'unixsocketperm', type: 'int', default: '0', immutable: true },
  { name: 'protected-mode', type: 'bool', default: 'yes' },
  { name: 'tcp-backlog', type: 'int', default: '511', immutable: true },
  { name: 'timeout', type: 'int', default: '0', min: 0 },
  { name: 'tcp-keepalive', type: 'int', default: '300', min: 0 },
  { name: 'maxclients', type: 'int', default: '10000', min: 1 },
  { name: 'databases', type: 'int', default: '16', min: 1, immutable: true },
  { name: 'hz', type: 'int', default: '10', min: 0 },
  { name: 'requirepass', type: 'string', default: '' },
  { name: 'loglevel', type: 'enum', default: 'notice', values: ['debug', 'verbose', 'notice', 'warning', 'nothing'] },
  { name: 'logfile', type: 'string', default: '', immutable: true },
  { name: 'always-show-logo', type: 'bool', default: 'no', immutable: true },
  { name: 'proto-max-bulk-len', type: 'memory', default: String(512 * MB), min: 1024 * 1024 },
  { name: 'client-query-buffer-limit', type: 'memory', default: String(1024 * MB), min: 1024 * 1024 },
  { name: 'enable-debug-command', type: 'enum', default: 'no', values: ['no', 'yes', 'local'], immutable: true },
  { name: 'slowlog-log-slower-than', type: 'int', default: '10000' },
  { name: 'slowlog-max-len', type: 'int', default: '128', min: 0 },
  { name: 'activerehashing', type: 'bool', default: 'yes', noEffect: true },
  { name: 'appendonly', type: 'bool', default: 'no', unsupported: (v) => (v === 'yes' ? 'nodis has no AOF persistence (appendonly yes)' : null) },
];

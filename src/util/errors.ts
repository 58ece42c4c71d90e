/**
 * The catalog of Redis 7.0 error replies. Every error text a command can send
 * lives here (or is built here), so replies match Redis byte for byte and
 * clients that match on them keep working.
 */

export const Err = {
  syntax: 'ERR syntax error',
  notInteger: 'ERR value is not an integer or out of range',
  notFloat: 'ERR value is not a valid float',
  overflow: 'ERR increment or decrement would overflow',
  wrongType: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  noSuchKey: 'ERR no such key',
  noAuth: 'NOAUTH Authentication required.',
  wrongPass: 'WRONGPASS invalid username-password pair or user is disabled.',
  dbIndexOutOfRange: 'ERR DB index is out of range',
  invalidExpire: (cmd: string) => `ERR invalid expire time in '${cmd}' command`,
  sameObject: 'ERR source and destination objects are the same',
  bitOffset: 'ERR bit offset is not an integer or out of range',
  bitValue: 'ERR bit is not an integer or out of range',
  stringTooLong: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
  incrNanOrInf: 'ERR increment would produce NaN or Infinity',
  decrementOverflow: 'ERR decrement would overflow',
  offsetOutOfRange: 'ERR offset is out of range',
  bitArgument: 'ERR The bit argument must be 1 or 0.',
  bitopNotArity: 'ERR BITOP NOT must be called with a single source key.',
  bitfieldType: 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.',
  bitfieldOverflow: 'ERR Invalid OVERFLOW type specified',
  bitfieldReadonly: 'ERR BITFIELD_RO only supports the GET subcommand',
  lcsLenAndIdx: 'ERR If you want both the length and indexes, please just use IDX.',
  lcsNotStrings: 'ERR The specified keys must contain string values',
  lcsTooBig: 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len',
  lcsAllocFailed: 'ERR Insufficient memory, failed allocating transient memory for LCS',
  noProto: 'NOPROTO unsupported protocol version',
  outOfMemory: "OOM command not allowed when used memory > 'maxmemory'.",
  readonly: "READONLY You can't write against a read only replica.",
  replicaKeyspace: "ERR Replica can't interact with the keyspace",
  invalidCursor: 'ERR invalid cursor',
  expireNxConflict: 'ERR NX and XX, GT or LT options at the same time are not compatible',
  expireGtLtConflict: 'ERR GT and LT options at the same time are not compatible',
  unsupportedOption: (opt: string) => `ERR Unsupported option ${truncateForError(opt, opt.length)}`,
  intOutOfRange: 'ERR value is out of range, value must between -2147483648 and 2147483647',
  invalidFirstDb: 'ERR invalid first DB index',
  invalidSecondDb: 'ERR invalid second DB index',
  lfuNotSelected:
    'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  lfuSelected:
    'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  unknownCommand: (name: string, args: readonly string[]) => {
    let tail = '';
    for (let i = 0; i < args.length && tail.length < 128; i++) {
      tail += `'${truncateForError(args[i]!, 128 - tail.length)}' `;
    }
    return `ERR unknown command '${truncateForError(name, 128)}', with args beginning with: ${tail}`;
  },
  unknownSubcommand: (sub: string, container: string) =>
    `ERR unknown subcommand '${truncateForError(sub, 128)}'. Try ${container.toUpperCase()} HELP.`,
  wrongArity: (name: string) => `ERR wrong number of arguments for '${name}' command`,
  protocol: (detail: string) => `ERR Protocol error: ${detail}`,
} as const;

/**
 * Redis cuts argument echoes in errors to a fixed number of bytes and replaces
 * CR/LF (which would break the reply line) with spaces. Returns the sanitised text.
 */
export function truncateForError(s: string, max: number): string {
  const cut = s.length > max ? s.slice(0, max) : s;
  return cut.replace(/[\r\n]/g, ' ');
}

/** An error raised by command code and turned into an error reply by call(). */
export class ReplyError extends Error {
  constructor(readonly reply: string) {
    super(reply);
  }
}

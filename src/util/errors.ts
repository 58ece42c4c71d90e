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
  noReplicas: 'NOREPLICAS Not enough good replicas to write.',
  loading: 'LOADING Redis is loading the dataset in memory',
  masterDown: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
  replicaKeyspace: "ERR Replica can't interact with the keyspace",
  /** Without its "ERR " code: EXEC quotes it in EXECABORT. */
  subscriberContext: (cmd: string) =>
    `Can't execute '${cmd}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
  invalidCursor: 'ERR invalid cursor',
  expireNxConflict: 'ERR NX and XX, GT or LT options at the same time are not compatible',
  expireGtLtConflict: 'ERR GT and LT options at the same time are not compatible',
  unsupportedOption: (opt: string) => `ERR Unsupported option ${truncateForError(opt, opt.length)}`,
  intOutOfRange: 'ERR value is out of range, value must between -2147483648 and 2147483647',
  mustBePositive: 'ERR value is out of range, must be positive',
  hashNotInteger: 'ERR hash value is not an integer',
  hashNotFloat: 'ERR hash value is not a float',
  nanOrInfinity: 'ERR value is NaN or Infinity',
  randomCountRange: 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
  numkeysTooMany: "ERR Number of keys can't be greater than number of args",
  limitNegative: "ERR LIMIT can't be negative",
  valueOutOfRange: 'ERR value is out of range',
  indexOutOfRange: 'ERR index out of range',
  numkeysNotPositive: 'ERR numkeys should be greater than 0',
  countNotPositive: 'ERR count should be greater than 0',
  lposRankZero:
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
  lposCountNegative: "ERR COUNT can't be negative",
  lposMaxlenNegative: "ERR MAXLEN can't be negative",
  multiNested: 'ERR MULTI calls can not be nested',
  execWithoutMulti: 'ERR EXEC without MULTI',
  discardWithoutMulti: 'ERR DISCARD without MULTI',
  watchInMulti: 'ERR WATCH inside MULTI is not allowed',
  notInMulti: 'ERR Command not allowed inside a transaction',
  execAbort: 'EXECABORT Transaction discarded because of previous errors.',
  timeoutNotFloat: 'ERR timeout is not a float or out of range',
  timeoutNegative: 'ERR timeout is negative',
  unblockReason: 'ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR',
  unblocked: 'UNBLOCKED client unblocked via CLIENT UNBLOCK',
  unblockedRoleChange: 'UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)',
  /** EXEC itself refused (e.g. out of memory): the transaction is dropped with the refusal's text. */
  execAbortBecause: (reason: string) => `EXECABORT Transaction discarded because of: ${reason}`,
  zsetXxNx: 'ERR XX and NX options at the same time are not compatible',
  zsetGtLtNx: 'ERR GT, LT, and/or NX options at the same time are not compatible',
  zsetIncrPair: 'ERR INCR option supports a single increment-element pair',
  zsetNaN: 'ERR resulting score is not a number (NaN)',
  zsetMinMaxFloat: 'ERR min or max is not a float',
  zsetMinMaxLex: 'ERR min or max not valid string range item',
  zsetWeightFloat: 'ERR weight value is not a float',
  zsetNeedKey: (cmd: string) => `ERR at least 1 input key is needed for '${cmd}' command`,
  zsetLimitNeedsRange: 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
  zsetLexWithScores: 'ERR syntax error, WITHSCORES not supported in combination with BYLEX',
  sortScores: "ERR One or more scores can't be converted into double",
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

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
  noProto: 'NOPROTO unsupported protocol version',
  outOfMemory: "OOM command not allowed when used memory > 'maxmemory'.",
  readonly: "READONLY You can't write against a read only replica.",
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

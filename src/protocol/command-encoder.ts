/**
 * The RESP encoding of commands nodis sends (its replication stream, the
 * replica's handshake and ACKs): a multibulk of bulk strings. Arguments are
 * byte strings (latin1, one char per byte), so lengths are byte counts.
 */

/** Encodes argv as a RESP multibulk request. */
export function encodeCommand(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

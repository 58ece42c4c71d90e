/**
 * The line-at-a-time part of a replication connection: handshake replies
 * (+PONG, +OK, +FULLRESYNC …, $ENDOFF …) arrive as lines, and what follows
 * the last of them (an RDB, the stream) is raw bytes. A LineReader keeps
 * the bytes of an incomplete line between reads.
 */
export class LineReader {
  private held: Buffer = Buffer.alloc(0);

  /**
   * Takes chunk and hands each complete line (latin1, without its CR LF
   * or LF) to onLine for as long as wanted() says lines are expected.
   * Returns the bytes after the last line taken once lines are no longer
   * wanted (empty while an incomplete line is held).
   */
  feed(chunk: Buffer, wanted: () => boolean, onLine: (line: string) => void): Buffer {
    let data = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
    while (wanted()) {
      const nl = data.indexOf(10);
      if (nl === -1) {
        this.held = data;
        return Buffer.alloc(0);
      }
      const end = nl > 0 && data[nl - 1] === 13 ? nl - 1 : nl;
      const line = data.latin1Slice(0, end);
      data = data.subarray(nl + 1);
      onLine(line);
    }
    this.held = Buffer.alloc(0);
    return data;
  }

  /** Forgets a held partial line (the connection is gone). */
  clear(): void {
    this.held = Buffer.alloc(0);
  }
}

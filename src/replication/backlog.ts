/**
 * The replication backlog: a ring buffer holding the most recent bytes of
 * the replication stream, so a replica that lost its link can be sent
 * exactly what it missed (PSYNC answered with +CONTINUE) instead of a new
 * full copy.
 *
 * Offsets are positions in the whole stream since the replication ID
 * began: the backlog holds the `histlen` bytes that end at the stream's
 * current offset, i.e. offsets [firstByteOffset, firstByteOffset + histlen).
 * A replica that has processed the stream up to offset O needs the bytes
 * from O + 1 on (Redis's convention: the first byte of the stream is at
 * offset 1, and an offset names the last byte processed).
 */

export class Backlog {
  private buf: Buffer;
  /** Where the next byte goes in buf. */
  private writeAt = 0;
  /** Bytes held (≤ buf.length). */
  histlen = 0;
  /** Offset of the last byte appended (the stream's offset, master_repl_offset). */
  offset: number;

  constructor(
    size: number,
    /** The stream offset the backlog starts after (its first byte will be offset + 1). */
    offset: number,
  ) {
    this.buf = Buffer.alloc(Math.max(1, size));
    this.offset = offset;
  }

  get size(): number {
    return this.buf.length;
  }

  /** Offset of the oldest byte held (repl_backlog_first_byte_offset); offset + 1 when empty. */
  get firstByteOffset(): number {
    return this.offset - this.histlen + 1;
  }

  /** Appends bytes to the stream, dropping the oldest when full. */
  append(bytes: Uint8Array): void {
    const size = this.buf.length;
    this.offset += bytes.length;
    let src = bytes;
    if (src.length >= size) {
      src = src.subarray(src.length - size);
      this.writeAt = 0;
    }
    const first = Math.min(src.length, size - this.writeAt);
    this.buf.set(src.subarray(0, first), this.writeAt);
    if (first < src.length) this.buf.set(src.subarray(first), 0);
    this.writeAt = (this.writeAt + src.length) % size;
    this.histlen = Math.min(size, this.histlen + bytes.length);
  }

  /**
   * Whether a replica that processed up to `processed` can continue from
   * here: the bytes after it are all still held (or there are none).
   */
  canServe(processed: number): boolean {
    return processed >= this.firstByteOffset - 1 && processed <= this.offset;
  }

  /** The bytes after offset `processed` (canServe must hold), as a new Buffer. */
  bytesAfter(processed: number): Buffer {
    const n = this.offset - processed;
    const out = Buffer.allocUnsafe(n);
    const size = this.buf.length;
    let from = (this.writeAt - n + size) % size;
    let copied = 0;
    while (copied < n) {
      const chunk = Math.min(n - copied, size - from);
      this.buf.copy(out, copied, from, from + chunk);
      copied += chunk;
      from = (from + chunk) % size;
    }
    return out;
  }

  /**
   * Changes the capacity (CONFIG SET repl-backlog-size), keeping the most
   * recent bytes that fit.
   */
  resize(size: number): void {
    const keep = Math.min(this.histlen, Math.max(1, size));
    const tail = this.bytesAfter(this.offset - keep);
    this.buf = Buffer.alloc(Math.max(1, size));
    this.buf.set(tail, 0);
    this.writeAt = tail.length % this.buf.length;
    this.histlen = tail.length;
  }
}

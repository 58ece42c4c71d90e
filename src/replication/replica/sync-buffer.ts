/**
 * The replica's own buffer of the master's stream during a dual-channel
 * full sync: what arrives on the main channel while the RDB is received
 * and loaded, kept until the dataset is ready to apply it. Bounded by
 * replica-full-sync-buffer-limit (0: the hard limit of
 * `client-output-buffer-limit replica`); over it the caller stops reading
 * the main channel, so the rest waits in the master's output buffer, as in
 * Valkey.
 */
export class SyncBuffer {
  private chunks: Buffer[] = [];
  /** Bytes held now (INFO replicas_repl_buffer_size). */
  bytes = 0;
  /** The most bytes held at once during the last sync (INFO replicas_repl_buffer_peak). */
  peak = 0;

  constructor(private readonly limit: number) {}

  /** Keeps chunk; returns false when the buffer is now over its limit (stop reading). */
  push(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (this.bytes > this.peak) this.peak = this.bytes;
    return this.limit === 0 || this.bytes <= this.limit;
  }

  /** Removes and returns the oldest chunks holding at most about maxBytes (at least one chunk), in order. */
  take(maxBytes: number): Buffer[] {
    let n = 0;
    let size = 0;
    while (n < this.chunks.length && (n === 0 || size + this.chunks[n]!.length <= maxBytes)) size += this.chunks[n++]!.length;
    const out = this.chunks.splice(0, n);
    this.bytes -= size;
    return out;
  }

  /** Forgets everything held (the sync failed). */
  clear(): void {
    this.chunks = [];
    this.bytes = 0;
  }
}

/**
 * Receiving a full resync's RDB from the master (the replica's TRANSFER
 * state), as Redis 7.0 sends it after `+FULLRESYNC`:
 *
 *   ["\n"…]            newlines: the master is still preparing (keepalives)
 *   "$<len>\r\n"        then exactly len bytes of RDB (disk-based sync), or
 *   "$EOF:<mark>\r\n"   then the RDB followed by the same 40-byte mark
 *                       (diskless sync: the size is not known in advance)
 *
 * Bytes after the payload belong to the replication stream and are handed
 * back to the caller. The payload is kept in memory (for the all-or-nothing
 * loader) and, when a target file is given (`repl-diskless-load disabled`),
 * also written to a temporary file that the caller commits once the data
 * loaded. In EOF mode the last 40 bytes received are held back until more
 * arrive, so neither copy ever contains the mark.
 *
 * Progress (INFO's master_sync_* fields) is kept here: total (-1 until the
 * preamble arrives, and in EOF mode), bytes read, time of the last read.
 * A malformed preamble or an error line from the master throws
 * TransferError with the text Redis logs.
 */
import { AtomicFile } from '../../persistence/rdb/file.js';

const MARK_LEN = 40;

export class TransferError extends Error {}

export class RdbTransfer {
  /** Payload size announced by the master; -1 before the preamble and in EOF mode. */
  totalBytes = -1;
  /** Payload bytes received so far (EOF mode: including a possible partial mark). */
  readBytes = 0;
  /** Date.now() of the last bytes received (INFO master_sync_last_io_seconds_ago, repl-timeout). */
  lastIo = Date.now();
  /** Whether the preamble line has arrived. */
  started = false;
  private line = '';
  /** EOF mode: the delimiter; null in sized mode. */
  private mark: Buffer | null = null;
  /** EOF mode: the last bytes received, not yet known to be payload. */
  private tail: Buffer = Buffer.alloc(0);
  private readonly chunks: Buffer[] = [];
  private file: AtomicFile | null = null;

  /**
   * @param target dir/dbfilename to also write the RDB to (through a temp
   *   file named like Redis's temp-<unixtime>.<pid>.rdb), or null for memory only.
   * @param onStart called once the preamble is read, with whether it is EOF mode.
   */
  constructor(
    private readonly target: string | null,
    private readonly onStart: (eofMode: boolean, size: number) => void,
  ) {}

  /**
   * Takes bytes from the master. Returns null while the payload is
   * incomplete, else the bytes that followed it (possibly empty). Throws
   * TransferError for a bad preamble or an error reply.
   */
  feed(chunk: Buffer): Buffer | null {
    this.lastIo = Date.now();
    if (!this.started) {
      chunk = this.readPreamble(chunk);
      if (!this.started) return null;
    }
    return this.mark !== null ? this.feedEof(chunk) : this.feedSized(chunk);
  }

  /** The complete payload (after feed returned non-null). */
  payload(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
  }

  /** Moves the written temp file over the target (after a successful load). */
  commitFile(): void {
    this.file?.commit();
    this.file = null;
  }

  /** Drops the temp file and buffered data (failure, or the link went away). */
  discard(): void {
    this.file?.discard();
    this.file = null;
    this.chunks.length = 0;
  }

  /** Consumes newline keepalives and the `$…` line; returns what follows it. */
  private readPreamble(chunk: Buffer): Buffer {
    let i = 0;
    while (i < chunk.length) {
      const nl = chunk.indexOf(10, i);
      if (nl === -1) {
        this.line += chunk.latin1Slice(i, chunk.length);
        return Buffer.alloc(0);
      }
      let text = this.line + chunk.latin1Slice(i, nl);
      this.line = '';
      i = nl + 1;
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (text === '') continue; // a keepalive newline
      this.start(text);
      return chunk.subarray(i);
    }
    return Buffer.alloc(0);
  }

  /** Interprets the preamble line (see the file comment). */
  private start(text: string): void {
    if (text[0] === '-') throw new TransferError(`MASTER aborted replication with an error: ${text.slice(1)}`);
    if (text[0] !== '$') {
      throw new TransferError(
        `Bad protocol from MASTER, the first byte is not '$' (we received '${text}'), are you sure the host and port are right?`,
      );
    }
    if (text.startsWith('$EOF:') && text.length - 5 >= MARK_LEN) {
      this.mark = Buffer.from(text.slice(5, 5 + MARK_LEN), 'latin1');
    } else {
      const n = Number(text.slice(1));
      if (!Number.isSafeInteger(n) || n < 0) throw new TransferError(`Bad protocol from MASTER, invalid bulk length '${text}'`);
      this.totalBytes = n;
    }
    if (this.target !== null) this.file = new AtomicFile(this.target, `temp-${Math.floor(Date.now() / 1000)}.${process.pid}.rdb`);
    this.started = true;
    this.onStart(this.mark !== null, this.totalBytes);
  }

  private feedSized(chunk: Buffer): Buffer | null {
    const want = this.totalBytes - this.readBytes;
    const take = Math.min(want, chunk.length);
    if (take > 0) this.keep(chunk.subarray(0, take));
    this.readBytes += take;
    return this.readBytes === this.totalBytes ? chunk.subarray(take) : null;
  }

  private feedEof(chunk: Buffer): Buffer | null {
    this.readBytes += chunk.length;
    const data = this.tail.length === 0 ? chunk : Buffer.concat([this.tail, chunk]);
    if (data.length > MARK_LEN) {
      this.keep(data.subarray(0, data.length - MARK_LEN));
      this.tail = Buffer.from(data.subarray(data.length - MARK_LEN));
    } else {
      this.tail = Buffer.from(data);
    }
    // The master sends nothing after the mark until we ACK, so the mark ends a read.
    return this.tail.length === MARK_LEN && this.tail.equals(this.mark!) ? Buffer.alloc(0) : null;
  }

  /** Stores payload bytes (socket chunks are never reused by Node, so views are kept). */
  private keep(bytes: Buffer): void {
    this.chunks.push(bytes);
    this.file?.write(bytes);
  }
}

/**
 * The RDB file reader: walks a whole file (versions 1 to 10) held in a
 * Buffer and reports what it holds to a visitor, in file order: AUX fields,
 * SELECTDB, RESIZEDB hints and keys with their expiry (EXPIRETIME in
 * seconds or EXPIRETIME_MS) and access data (IDLE, FREQ). Values are
 * decoded by value-reader.ts.
 *
 * It checks, and refuses with an RdbError naming the byte offset: the
 * magic and version, every length against the end of the data, unknown
 * opcodes and value types, module aux data and function libraries (nodis
 * has neither modules nor scripting), a missing EOF, and (version 5 on)
 * the CRC-64 after EOF unless it is zero (a file saved with rdbchecksum
 * off) or checking is disabled. An error thrown by the visitor (a db
 * index out of range …) becomes an RdbError at the offset of what it was
 * told about. The caller applies nothing until parseRdb returns when it
 * must load nothing partial.
 */
import { RdbCursor } from './cursor.js';
import { RdbError } from './errors.js';
import { Crc64 } from './crc64.js';
import { RDB_MAGIC, RDB_READ_VERSION, RdbOp } from './constants.js';
import { readValue } from './value-reader.js';
import type { EncodingLimits } from './limits.js';
import type { Value } from '../../keyspace/values.js';

export interface RdbVisitor {
  aux(name: string, value: string): void;
  selectDb(id: number): void;
  resizeDb(keys: number, expires: number): void;
  /**
   * A key of the current db. value is null for an empty aggregate (Redis
   * skips those). expireMs, idleSeconds and freq are -1 when absent.
   */
  key(key: string, value: Value | null, expireMs: number, idleSeconds: number, freq: number): void;
}

export interface RdbReadOptions {
  limits: EncodingLimits;
  /** Verify the trailing CRC-64 (rdbchecksum). */
  checksum: boolean;
}

/** The version number of buf's header, or an RdbError at offset 0. */
export function rdbVersionOf(buf: Buffer): number {
  if (buf.length < 9) throw new RdbError('File too short for an RDB header', 0);
  if (buf.latin1Slice(0, 5) !== RDB_MAGIC) throw new RdbError('Wrong signature trying to load DB from file', 0);
  const digits = buf.latin1Slice(5, 9);
  const version = /^\d{4}$/.test(digits) ? Number(digits) : -1;
  if (version < 1 || version > RDB_READ_VERSION) throw new RdbError(`Can't handle RDB format version ${digits}`, 5);
  return version;
}

/**
 * Reads the RDB file in buf, calling the visitor for everything in it.
 * Returns the format version. Throws RdbError on malformed input.
 */
export function readRdb(buf: Buffer, visitor: RdbVisitor, opts: RdbReadOptions): number {
  const reader = new RdbReader(buf, visitor, opts);
  while (!reader.step(Infinity));
  return reader.version;
}

/**
 * The reader as a resumable walk: step(n) reads up to n keys (with the
 * opcodes around them) and returns true once EOF and the checksum have
 * been read, so a caller can read a big file in slices and serve clients
 * between them.
 */
export class RdbReader {
  readonly version: number;
  private readonly cur: RdbCursor;
  private expireMs = -1;
  private idle = -1;
  private freq = -1;
  private done = false;

  constructor(
    private readonly buf: Buffer,
    private readonly visitor: RdbVisitor,
    private readonly opts: RdbReadOptions,
  ) {
    this.version = rdbVersionOf(buf);
    this.cur = new RdbCursor(buf, 9);
  }

  /** Bytes read so far (for progress reports). */
  get position(): number {
    return this.cur.pos;
  }

  /** Reads on until `keys` keys were reported or the file ended; true when it ended. */
  step(keys: number): boolean {
    const cur = this.cur;
    const visitor = this.visitor;
    let n = 0;
    while (!this.done && n < keys) {
      const at = cur.pos;
      const op = cur.byte('a type or opcode');
      switch (op) {
        case RdbOp.ExpireTime:
          this.expireMs = cur.i32le('an expire time') * 1000;
          continue;
        case RdbOp.ExpireTimeMs:
          this.expireMs = cur.u64le('an expire time');
          continue;
        case RdbOp.Idle:
          this.idle = cur.length('an idle time');
          continue;
        case RdbOp.Freq:
          this.freq = cur.byte('a frequency');
          continue;
        case RdbOp.SelectDb: {
          const id = cur.length('a database number');
          tell(at, () => visitor.selectDb(id));
          continue;
        }
        case RdbOp.ResizeDb: {
          const size = cur.length('a db size');
          const expires = cur.length('an expires size');
          visitor.resizeDb(size, expires);
          continue;
        }
        case RdbOp.Aux: {
          const name = cur.string('an AUX field name');
          const value = cur.string('an AUX field value');
          tell(at, () => visitor.aux(name, value));
          continue;
        }
        case RdbOp.ModuleAux:
          return cur.fail('The RDB file contains module AUX data, which nodis cannot load (no modules)', at);
        case RdbOp.Function2:
        case RdbOp.FunctionPreGa:
          return cur.fail('The RDB file contains a function library, which nodis cannot load (no scripting)', at);
        case RdbOp.Eof:
          verifyChecksum(this.buf, cur, this.version, this.opts.checksum);
          this.done = true;
          break;
        default: {
          const key = cur.string('a key');
          const value = readValue(cur, op, key, this.opts.limits, at);
          try {
            visitor.key(key, value, this.expireMs, this.idle, this.freq);
          } catch (e) {
            if (e instanceof RdbError) throw e;
            throw new RdbError((e as Error).message, at);
          }
          this.expireMs = -1;
          this.idle = -1;
          this.freq = -1;
          n++;
        }
      }
    }
    return this.done;
  }
}

/** Runs a visitor call; a plain Error from it becomes an RdbError at `at`. */
function tell(at: number, call: () => void): void {
  try {
    call();
  } catch (e) {
    if (e instanceof RdbError) throw e;
    throw new RdbError((e as Error).message, at);
  }
}

/**
 * After EOF: version 5 on has the CRC-64 of everything before it. A zero
 * checksum means the writer had rdbchecksum off. A mismatch is reported
 * in Redis's words ("RDB CRC error", as redis-check-rdb and the start-up
 * log say it).
 */
function verifyChecksum(buf: Buffer, cur: RdbCursor, version: number, check: boolean): void {
  if (version < 5) return;
  const at = cur.pos;
  cur.need(8, 'the checksum');
  if (!check || buf.readBigUInt64LE(at) === 0n) return;
  const crc = new Crc64();
  crc.update(buf, 0, at);
  if (!crc.matches(buf, at)) cur.fail('RDB CRC error', at);
}

/**
 * Bit commands: SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO,
 * with Redis 7.0's argument-checking order, replies and effects. The bit
 * arithmetic lives in datatypes/bitmap and datatypes/bitfield; this module
 * resolves arguments and keys.
 *
 * A string written by these commands becomes a growable Buffer ("raw"
 * encoding), even when a write leaves its bytes unchanged, as Redis's
 * in-place edits do. A write counts as a change (and is replicated) only
 * when it created or grew the string or altered a byte, as in Redis 7.0.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { Err, ReplyError } from '../util/errors.js';
import { toBuf, type Bytes } from '../util/bytes.js';
import { parseLL } from '../util/numbers.js';
import { newWritableString, writableString } from '../datatypes/mutable-string.js';
import { bitAt, combine, countBits, findBit, resolveRange, setBitAt, type BitOp, type BitRange } from '../datatypes/bitmap.js';
import { fitField, parseFieldType, readField, writeField, type FieldType, type Overflow } from '../datatypes/bitfield.js';
import { integerArg, readString, writeString } from './strings.js';
import { keyChanged } from './key-signals.js';

const EMPTY = Buffer.alloc(0);

/** A string value's bytes for reading (strings are copied; Buffers are used as they are). */
function bytesOf(v: Bytes | undefined): Buffer {
  return v === undefined ? EMPTY : toBuf(v);
}

/**
 * Parses a bit offset: a non-negative int64 whose byte (offset / 8) lies
 * below proto-max-bulk-len. With fieldBits > 0 (BITFIELD), "#n" means
 * n × fieldBits, computed with int64 wrap-around as Redis does.
 */
function bitOffsetArg(c: Client, text: string, fieldBits = 0): number {
  const hash = fieldBits > 0 && text.charCodeAt(0) === 35;
  const digits = hash ? text.slice(1) : text;
  const n = parseLL(digits);
  if (n === null) throw new ReplyError(Err.bitOffset);
  let offset = hash ? n * fieldBits : n;
  if (hash && !Number.isSafeInteger(offset)) offset = Number(BigInt.asIntN(64, BigInt(digits) * BigInt(fieldBits)));
  if (offset < 0 || Math.floor(offset / 8) >= c.server.config.num('proto-max-bulk-len')) throw new ReplyError(Err.bitOffset);
  return offset;
}

/**
 * The string at key made writable and at least byteLen long (created
 * zero-filled when missing), stored back as the key's value. Returns the
 * buffer and whether the string was created or grew. Throws WRONGTYPE.
 */
function writableBits(c: Client, key: string, byteLen: number): { buf: Buffer; grown: boolean } {
  const e = writeString(c, key);
  if (e === undefined) {
    const buf = newWritableString(byteLen);
    c.db.set(key, buf);
    return { buf, grown: true };
  }
  const old = e.value as Bytes;
  const buf = writableString(old, byteLen);
  e.value = buf;
  return { buf, grown: buf.length > old.length };
}

function setbit(c: Client, argv: string[]): void {
  const offset = bitOffsetArg(c, argv[2]!);
  const bitText = argv[3]!;
  if (bitText !== '0' && bitText !== '1') throw new ReplyError(Err.bitValue);
  const bit = bitText === '1' ? 1 : 0;
  const { buf, grown } = writableBits(c, argv[1]!, Math.floor(offset / 8) + 1);
  const old = setBitAt(buf, offset, bit);
  if (grown || old !== bit) {
    c.server.dirty++;
    keyChanged(c, '$', 'setbit', argv[1]!);
  }
  c.reply.int(old);
}

function getbit(c: Client, argv: string[]): void {
  const offset = bitOffsetArg(c, argv[2]!);
  const v = readString(c, argv[1]!);
  c.reply.int(v === undefined ? 0 : bitAt(bytesOf(v), offset));
}

/** The unit word of BITCOUNT/BITPOS: bits per index (BYTE 8, BIT 1); anything else is a syntax error. */
function unitArg(word: string): 1 | 8 {
  const w = word.toLowerCase();
  if (w === 'bit') return 1;
  if (w === 'byte') return 8;
  throw new ReplyError(Err.syntax);
}

/**
 * BITCOUNT key [start end [BYTE|BIT]]. As in Redis 7.0 the key comes first:
 * a missing key answers 0 whatever the other arguments are.
 */
function bitcount(c: Client, argv: string[]): void {
  const v = readString(c, argv[1]!);
  if (v === undefined) {
    c.reply.int(0);
    return;
  }
  const buf = bytesOf(v);
  let range: BitRange | null;
  if (argv.length === 2) {
    range = resolveRange(0, buf.length - 1, buf.length, 8);
  } else if (argv.length === 4 || argv.length === 5) {
    const start = integerArg(argv[2]!);
    const end = integerArg(argv[3]!);
    const unit = argv.length === 5 ? unitArg(argv[4]!) : 8;
    const total = unit === 8 ? buf.length : buf.length * 8;
    range = start < 0 && end < 0 && start > end ? null : resolveRange(start, end, total, unit);
  } else {
    throw new ReplyError(Err.syntax);
  }
  c.reply.int(range === null ? 0 : countBits(buf, range));
}

/**
 * BITPOS key bit [start [end [BYTE|BIT]]]. The bit is checked first, then
 * the key (missing: 0 when looking for 0, -1 for 1), then start, unit and
 * end in that order. Looking for a 0 without an explicit end, a string of
 * ones answers the first bit past its end; with an end given, -1.
 */
function bitpos(c: Client, argv: string[]): void {
  const bitNum = integerArg(argv[2]!);
  if (bitNum !== 0 && bitNum !== 1) throw new ReplyError(Err.bitArgument);
  const bit = bitNum;
  const v = readString(c, argv[1]!);
  if (v === undefined) {
    c.reply.int(bit === 1 ? -1 : 0);
    return;
  }
  const buf = bytesOf(v);
  let range: BitRange | null;
  let endGiven = false;
  if (argv.length === 3) {
    range = resolveRange(0, buf.length - 1, buf.length, 8);
  } else if (argv.length <= 6) {
    const start = integerArg(argv[3]!);
    const unit = argv.length === 6 ? unitArg(argv[5]!) : 8;
    const total = unit === 8 ? buf.length : buf.length * 8;
    endGiven = argv.length >= 5;
    const end = endGiven ? integerArg(argv[4]!) : total - 1;
    range = resolveRange(start, end, total, unit);
  } else {
    throw new ReplyError(Err.syntax);
  }
  if (range === null) {
    c.reply.int(-1);
    return;
  }
  const pos = findBit(buf, bit, range);
  c.reply.int(pos !== -1 || bit === 1 || endGiven ? pos : range.last + 1);
}

const BIT_OPS = new Map<string, BitOp>([
  ['and', 'and'],
  ['or', 'or'],
  ['xor', 'xor'],
  ['not', 'not'],
]);

/**
 * BITOP op destkey key…: stores the byte-wise result (as long as the
 * longest source; missing sources are empty) at destkey, or deletes
 * destkey when every source is empty. Replies with the result's length.
 */
function bitop(c: Client, argv: string[]): void {
  const op = BIT_OPS.get(argv[1]!.toLowerCase());
  if (op === undefined) throw new ReplyError(Err.syntax);
  const dest = argv[2]!;
  if (op === 'not' && argv.length !== 4) throw new ReplyError(Err.bitopNotArity);
  const sources: Buffer[] = [];
  let maxLen = 0;
  for (let i = 3; i < argv.length; i++) {
    const src = bytesOf(readString(c, argv[i]!));
    sources.push(src);
    if (src.length > maxLen) maxLen = src.length;
  }
  if (maxLen > 0) {
    const out = newWritableString(maxLen);
    combine(op, sources, out);
    c.db.set(dest, out);
    c.server.dirty++;
    keyChanged(c, '$', 'set', dest);
  } else if (c.db.delete(dest)) {
    c.server.dirty++;
    keyChanged(c, 'g', 'del', dest);
  }
  c.reply.int(maxLen);
}

const enum FieldOpKind {
  Get,
  Set,
  Incrby,
}

interface FieldOp {
  kind: FieldOpKind;
  type: FieldType;
  offset: number;
  /** SET's value or INCRBY's increment. */
  arg: bigint;
  overflow: Overflow;
}

const OVERFLOWS = new Map<string, Overflow>([
  ['wrap', 'wrap'],
  ['sat', 'sat'],
  ['fail', 'fail'],
]);

/** Parses a BITFIELD type argument, or throws Redis's "Invalid bitfield type" error. */
function fieldTypeArg(text: string): FieldType {
  const t = parseFieldType(text);
  if (t === null) throw new ReplyError(Err.bitfieldType);
  return t;
}

/**
 * Parses BITFIELD's operations from argv[2…] (all of them, before anything
 * runs): GET type offset, SET type offset value, INCRBY type offset incr,
 * OVERFLOW WRAP|SAT|FAIL (applies to the SET/INCRBY after it).
 */
function parseFieldOps(c: Client, argv: readonly string[]): FieldOp[] {
  const ops: FieldOp[] = [];
  let overflow: Overflow = 'wrap';
  for (let i = 2; i < argv.length; i++) {
    const word = argv[i]!.toLowerCase();
    const more = argv.length - 1 - i;
    if (word === 'overflow' && more >= 1) {
      const o = OVERFLOWS.get(argv[++i]!.toLowerCase());
      if (o === undefined) throw new ReplyError(Err.bitfieldOverflow);
      overflow = o;
      continue;
    }
    const kind =
      word === 'get' && more >= 2
        ? FieldOpKind.Get
        : word === 'set' && more >= 3
          ? FieldOpKind.Set
          : word === 'incrby' && more >= 3
            ? FieldOpKind.Incrby
            : null;
    if (kind === null) throw new ReplyError(Err.syntax);
    const type = fieldTypeArg(argv[i + 1]!);
    const offset = bitOffsetArg(c, argv[i + 2]!, type.bits);
    let arg = 0n;
    if (kind !== FieldOpKind.Get) {
      integerArg(argv[i + 3]!);
      arg = BigInt(argv[i + 3]!);
    }
    ops.push({ kind, type, offset, arg, overflow });
    i += kind === FieldOpKind.Get ? 2 : 3;
  }
  return ops;
}

/**
 * BITFIELD / BITFIELD_RO key [op …]: one reply per GET/SET/INCRBY (SET: the
 * old value; INCRBY: the new one; null when OVERFLOW FAIL refused it). With
 * any write the string is first made long enough for the farthest written
 * bit (so a refused write may still create it, as in Redis); each write
 * counts as a change when the string was created or grown, or a byte moved.
 */
function bitfieldCommand(readonly: boolean) {
  return (c: Client, argv: string[]): void => {
    const ops = parseFieldOps(c, argv);
    let lastWriteBit = -1;
    for (const op of ops) {
      if (op.kind !== FieldOpKind.Get) lastWriteBit = Math.max(lastWriteBit, op.offset + op.type.bits - 1);
    }
    if (lastWriteBit === -1) {
      const buf = bytesOf(readString(c, argv[1]!));
      c.reply.array(ops.length);
      for (const op of ops) c.reply.int(readField(buf, op.offset, op.type));
      return;
    }
    if (readonly) throw new ReplyError(Err.bitfieldReadonly);
    const { buf, grown } = writableBits(c, argv[1]!, Math.floor(lastWriteBit / 8) + 1);
    let changes = 0;
    c.reply.array(ops.length);
    for (const op of ops) {
      const old = readField(buf, op.offset, op.type);
      if (op.kind === FieldOpKind.Get) {
        c.reply.int(old);
        continue;
      }
      const isSet = op.kind === FieldOpKind.Set;
      const next = fitField(isSet ? op.arg : old + op.arg, op.type, op.overflow, isSet);
      if (next === null) {
        c.reply.nullBulk();
        continue;
      }
      if (writeField(buf, op.offset, op.type, next) || grown) changes++;
      c.reply.int(isSet ? old : next);
    }
    if (changes === 0) return;
    c.server.dirty += changes;
    keyChanged(c, '$', 'setbit', argv[1]!);
  };
}

export const bitCommands: CommandDef[] = [
  { name: 'setbit', handler: setbit },
  { name: 'getbit', handler: getbit },
  { name: 'bitcount', handler: bitcount },
  { name: 'bitpos', handler: bitpos },
  { name: 'bitop', handler: bitop },
  { name: 'bitfield', handler: bitfieldCommand(false) },
  { name: 'bitfield_ro', handler: bitfieldCommand(true) },
];

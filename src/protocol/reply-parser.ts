/**
 * A resumable parser for RESP2/RESP3 *replies* (what a server sends), used
 * where nodis is the client: a replica talking to its master, and the tests
 * and tools that talk to nodis or Redis. Values keep their RESP3 kind so they
 * can be re-emitted exactly (see writeValue).
 */
import type { ReplyWriter } from './reply.js';

export type RespValue =
  | { kind: 'simple' | 'error' | 'bulk' | 'double' | 'bignum'; value: string }
  | { kind: 'verbatim'; format: string; value: string }
  | { kind: 'int'; value: bigint }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'array' | 'set' | 'push'; items: RespValue[] }
  | { kind: 'map' | 'attribute'; entries: [RespValue, RespValue][] };

/** Thrown when the bytes are not valid RESP. */
export class ReplyParseError extends Error {}

export class ReplyParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;

  feed(chunk: Buffer): void {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
  }

  /** Returns the next complete value, or undefined when more bytes are needed. */
  next(): RespValue | undefined {
    const start = this.pos;
    const v = this.value();
    if (v === undefined) this.pos = start;
    return v;
  }

  /** Bytes received and not yet consumed. */
  get pendingBytes(): number {
    return this.buf.length - this.pos;
  }

  /** Takes up to n raw bytes that follow (an RDB payload), consuming them. */
  takeRaw(n: number): Buffer {
    const end = Math.min(this.buf.length, this.pos + n);
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    return out;
  }

  private lineEnd(): number {
    const cr = this.buf.indexOf('\r\n', this.pos, 'latin1');
    return cr;
  }

  private value(): RespValue | undefined {
    if (this.pos >= this.buf.length) return undefined;
    const type = this.buf[this.pos]!;
    const cr = this.lineEnd();
    if (cr === -1) return undefined;
    const text = this.buf.latin1Slice(this.pos + 1, cr);
    this.pos = cr + 2;
    switch (type) {
      case 43:
        return { kind: 'simple', value: text };
      case 45:
        return { kind: 'error', value: text };
      case 58:
        return { kind: 'int', value: BigInt(text) };
      case 44:
        return { kind: 'double', value: text };
      case 40:
        return { kind: 'bignum', value: text };
      case 95:
        return { kind: 'null' };
      case 35:
        return { kind: 'bool', value: text === 't' };
      case 36:
      case 61: {
        const n = Number(text);
        if (n < 0) return { kind: 'null' };
        if (this.pos + n + 2 > this.buf.length) return undefined;
        const body = this.buf.latin1Slice(this.pos, this.pos + n);
        this.pos += n + 2;
        if (type === 36) return { kind: 'bulk', value: body };
        return { kind: 'verbatim', format: body.slice(0, 3), value: body.slice(4) };
      }
      case 42:
      case 126:
      case 62: {
        const n = Number(text);
        if (n < 0) return { kind: 'null' };
        const items: RespValue[] = [];
        for (let i = 0; i < n; i++) {
          const item = this.value();
          if (item === undefined) return undefined;
          items.push(item);
        }
        return { kind: type === 42 ? 'array' : type === 126 ? 'set' : 'push', items };
      }
      case 37:
      case 124: {
        const n = Number(text);
        const entries: [RespValue, RespValue][] = [];
        for (let i = 0; i < n; i++) {
          const k = this.value();
          if (k === undefined) return undefined;
          const v = this.value();
          if (v === undefined) return undefined;
          entries.push([k, v]);
        }
        return { kind: type === 37 ? 'map' : 'attribute', entries };
      }
      default:
        throw new ReplyParseError(`unexpected RESP type byte ${type}`);
    }
  }
}

/**
 * Writes a parsed value back out through a reply writer, so it comes out in
 * the receiving client's protocol (maps flattened and sets as arrays in RESP2).
 */
export function writeValue(w: ReplyWriter, v: RespValue): void {
  switch (v.kind) {
    case 'simple':
      w.simple(v.value);
      break;
    case 'error':
      w.error(v.value);
      break;
    case 'bulk':
      w.bulk(v.value);
      break;
    case 'int':
      w.int(v.value);
      break;
    case 'double':
      w.double(Number(v.value));
      break;
    case 'bignum':
      w.bulk(v.value);
      break;
    case 'verbatim':
      w.verbatim(v.value, v.format);
      break;
    case 'bool':
      w.bool(v.value);
      break;
    case 'null':
      w.nullBulk();
      break;
    case 'array':
    case 'push':
      w.array(v.items.length);
      for (const item of v.items) writeValue(w, item);
      break;
    case 'set':
      w.set(v.items.length);
      for (const item of v.items) writeValue(w, item);
      break;
    case 'map':
    case 'attribute':
      w.map(v.entries.length);
      for (const [k, val] of v.entries) {
        writeValue(w, k);
        writeValue(w, val);
      }
      break;
  }
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Db, type DbHooks } from './db.js';
import {
  DICT_ENTRY_BYTES,
  OBJECT_HEADER_BYTES,
  UNKNOWN_VALUE_BYTES,
  dbOverheadBytes,
  entryBytes,
  mallocSize,
  valueBytes,
} from './memory.js';
import type { TypedValue, Value } from './values.js';
import { xorshift32 } from '../../test/support/random.js';

function makeDb(id = 0): Db {
  const hooks: DbHooks = {
    expired: (d, key) => void d.delete(key),
    deleteExpiredOnAccess: () => true,
    now: () => 1_000_000,
    beforeWrite: null,
  };
  return new Db(id, hooks);
}

/** A typed value whose size changes in place, like a list being pushed to. */
class Growing implements TypedValue {
  readonly type = 'list' as const;
  constructor(public bytes: number) {}
  encoding(): string {
    return 'quicklist';
  }
  clone(): TypedValue {
    return new Growing(this.bytes);
  }
  memoryUsage(): number {
    return this.bytes;
  }
  digestInto(): void {}
}

/** A typed value that does not report its size. */
const opaque: TypedValue = { type: 'set', encoding: () => 'hashtable', clone: () => opaque, digestInto: () => undefined };

test('memory: allocation sizes follow jemalloc size classes', () => {
  const cases: [number, number][] = [
    [1, 8],
    [8, 8],
    [9, 16],
    [17, 32],
    [22, 32],
    [33, 48],
    [100, 112],
    [128, 128],
    [129, 160],
    [200, 224],
    [257, 320],
    [1000, 1024],
    [1025, 1280],
    [5000, 5120],
    [1 << 20, 1 << 20],
    [(1 << 20) + 1, 1310720],
  ];
  for (const [n, size] of cases) assert.equal(mallocSize(n), size, `mallocSize(${n})`);
});

test('memory: string estimates match what Redis 7.0 reports for the same keys (MEMORY USAGE minus the table entry)', () => {
  // MEMORY USAGE on real Redis 7.0.15: counter=12345 → 56, s=<44 bytes> → 96, longkey-abcdef=<100 bytes> → 168.
  assert.equal(entryBytes('counter', '12345') + DICT_ENTRY_BYTES, 56);
  assert.equal(entryBytes('s', '1'.repeat(44)) + DICT_ENTRY_BYTES, 96);
  assert.equal(entryBytes('longkey-abcdef', 'a'.repeat(100)) + DICT_ENTRY_BYTES, 168);
  assert.equal(valueBytes(Buffer.from('a'.repeat(100))), valueBytes('a'.repeat(100)), 'a Buffer is sized like the same bytes');
  assert.ok(valueBytes('x'.repeat(1_000_000)) >= 1_000_000, 'big values count their bytes');
});

test('memory: typed values report their own size; others get the fixed estimate', () => {
  assert.equal(valueBytes(new Growing(1000)), OBJECT_HEADER_BYTES + 1000);
  assert.equal(valueBytes(opaque), OBJECT_HEADER_BYTES + UNKNOWN_VALUE_BYTES);
});

test('memory: table overhead counts an entry per key and per expiry plus power-of-two buckets', () => {
  assert.equal(dbOverheadBytes(0, 0), 0);
  assert.equal(dbOverheadBytes(1, 0), DICT_ENTRY_BYTES + 4 * 8);
  assert.equal(dbOverheadBytes(5, 5), 10 * DICT_ENTRY_BYTES + 2 * 8 * 8);
});

/** The dataset size computed from scratch, for comparison with the incremental total. */
function recount(db: Db): number {
  let n = 0;
  for (const [key, e] of db.dict) n += entryBytes(key, e.value);
  return n;
}

test('memory: a db keeps its dataset size exact through every kind of write (property test against a recount)', () => {
  const rnd = xorshift32(0x5eed);
  const a = makeDb(0);
  const b = makeDb(1);
  const keys = Array.from({ length: 40 }, (_, i) => `key:${i}`);
  const randomValue = (): Value => {
    switch (rnd(4)) {
      case 0:
        return String(rnd(100000));
      case 1:
        return 'v'.repeat(rnd(300));
      case 2:
        return Buffer.alloc(rnd(100), 1);
      default:
        return new Growing(rnd(5000));
    }
  };
  for (let step = 0; step < 20000; step++) {
    const db = rnd(2) === 0 ? a : b;
    const key = keys[rnd(keys.length)]!;
    switch (rnd(10)) {
      case 0:
      case 1:
        db.set(key, randomValue(), rnd(2) === 0);
        break;
      case 2:
        if (db.peek(key) === undefined) db.add(key, randomValue());
        break;
      case 3:
      case 4: {
        // An in-place change after lookupWrite, as commands do (the value grows or shrinks later).
        const e = db.lookupWrite(key);
        if (e !== undefined && typeof e.value === 'object' && !Buffer.isBuffer(e.value)) (e.value as Growing).bytes = rnd(5000);
        else if (e !== undefined) e.value = 'w'.repeat(rnd(200));
        break;
      }
      case 5: {
        // A new value filled after it was added (a command creating a list, then pushing).
        if (db.peek(key) !== undefined) break;
        const v = new Growing(0);
        db.add(key, v);
        v.bytes = rnd(10000);
        break;
      }
      case 6:
      case 7:
        db.delete(key);
        break;
      case 8:
        if (rnd(50) === 0) a.swapWith(b);
        else db.setExpire(key, 2_000_000);
        break;
      default:
        if (rnd(100) === 0) db.clear();
        else if (db.peek(key) !== undefined) {
          const other = db === a ? b : a;
          const e = db.lookupWrite(key)!;
          if (other.peek(key) === undefined) {
            other.addMoved(key, e, -1);
            db.delete(key);
          }
        }
    }
    if (step % 97 === 0) {
      assert.equal(a.datasetBytes, recount(a), `db a at step ${step}`);
      assert.equal(b.datasetBytes, recount(b), `db b at step ${step}`);
    }
  }
  assert.equal(a.datasetBytes, recount(a));
  assert.equal(b.datasetBytes, recount(b));
});

test('memory: many writes between reads are all measured at the next read', () => {
  const db = makeDb();
  const lists: Growing[] = [];
  for (let i = 0; i < 5000; i++) {
    const v = new Growing(0);
    db.add(`k${i}`, v);
    lists.push(v);
  }
  for (let i = 0; i < 5000; i++) {
    db.lookupWrite(`k${i}`);
    lists[i]!.bytes = i;
  }
  assert.equal(db.datasetBytes, recount(db));
});

/**
 * Snapshot: a fork-less, point-in-time RDB serialization of every db.
 *
 * Node cannot fork, so instead of copying pages the snapshot copies keys
 * (Dragonfly's model). Phases:
 *
 * 1. Cut (constructor, synchronous): for each non-empty db the snapshot
 *    keeps its dict and expires maps (the objects, not copies), their sizes,
 *    and the db's next sequence number: an entry of that dict whose seq is
 *    below it existed at the cut. It installs the keyspace's before-write
 *    hook and a no-op before-replace-all hook (FLUSH and SWAPDB install or
 *    move whole maps and never mutate the ones the snapshot holds, so they
 *    need no per-key work).
 * 2. Walk (step(), called in chunks that yield to the event loop between
 *    them): iterates each kept dict and serializes every entry that existed
 *    at the cut and was not serialized yet, marking it with the snapshot's
 *    id. Map iterators tolerate changes: deleted entries are skipped (they
 *    were serialized before deletion, see 3), new ones are visited and
 *    skipped by their seq.
 * 3. Copy-on-write (the before-write hook): before a command changes or
 *    deletes an entry that existed at the cut and was not serialized yet,
 *    the hook serializes it first, with its expiry as it was (the expires
 *    map is changed after the hook). The entry is found in whichever kept
 *    dict its db now holds (SWAPDB moves dicts between dbs). Such a key may
 *    belong to another db than the one being walked: a SELECTDB switches
 *    the stream to it, and the walk switches back before its next key (the
 *    RDB format allows any sequence of SELECTDB opcodes).
 * 4. End: EOF and the CRC-64; the hooks are removed.
 *
 * rdb-key-save-delay (a debugging option the tests use to make a save
 * last) paces the walk: each walked key owes its delay, a step ends once
 * a millisecond is owed, and pause() waits it off before the next step
 * (a blocking SAVE takes no delay: it would stop the server).
 *
 * So the bytes describe the dataset exactly as it was at the cut, whatever
 * is written meanwhile, and each key is serialized once. The output is
 * pulled in chunks by the driver (driver.ts), which feeds a file or a
 * socket. abort() removes the hooks at any point.
 */
import type { Db, DbHooks, Entry } from '../../keyspace/db.js';
import { RdbOutput } from './output.js';
import { RDB_MAGIC, RDB_VERSION, RdbOp } from './constants.js';
import { writeEntry, AccessData } from './value-writer.js';
import { DebugDelay } from '../../util/debug-delay.js';

/** One db as it was at the cut. */
interface CutDb {
  id: number;
  dict: Map<string, Entry>;
  expires: Map<string, number>;
  /** Entries of dict with seq below this existed at the cut. */
  seqLimit: number;
  keys: number;
  expiring: number;
}

export interface SnapshotOptions {
  compress: boolean;
  checksum: boolean;
  access: AccessData;
  /** AUX fields written after the header, in order. */
  aux: [string, string][];
  /** Current time in ms (for IDLE). */
  now(): number;
  /** rdb-key-save-delay, read at each key (microseconds; see util/debug-delay.ts). */
  keySaveDelayUs(): number;
}

let lastSnapshotId = 0;

export class Snapshot {
  readonly id = ++lastSnapshotId;
  private readonly out: RdbOutput;
  private readonly cut: CutDb[] = [];
  /** Kept dict → its index in cut, to place copy-on-write keys. */
  private readonly byDict = new Map<Map<string, Entry>, number>();
  /** Index in cut of the db being walked, and the iterator over its dict. */
  private walkIndex = 0;
  private walkIter: Iterator<[string, Entry]> | null = null;
  /** The db whose SELECTDB was last written, -1 before any. */
  private streamDb = -1;
  private done = false;
  private hooked: boolean;
  /** Keys serialized so far (INFO current_save_keys_processed). */
  keysWritten = 0;
  /** Keys in the cut (INFO current_save_keys_total). */
  readonly keysTotal: number;
  /** Bytes serialized by copy-on-write (INFO current_cow_size). */
  cowBytes = 0;
  readonly startedAt = Date.now();
  /** When the current step must stop (performance.now() ms), Infinity for none. */
  private deadline = Infinity;
  /** The time IDLE values are measured against, read once per step and per copy-on-write. */
  private now = 0;
  /** rdb-key-save-delay owed by the walk. */
  private readonly delay: DebugDelay;

  constructor(
    dbs: readonly Db[],
    /** The keyspace hooks to install copy-on-write in; null for a snapshot written to the end at once. */
    private readonly hooks: DbHooks | null,
    private readonly opts: SnapshotOptions,
  ) {
    this.out = new RdbOutput(opts.compress, opts.checksum);
    this.delay = new DebugDelay(opts.keySaveDelayUs);
    this.hooked = hooks !== null;
    let total = 0;
    for (const db of dbs) {
      if (db.size === 0) continue;
      this.byDict.set(db.dict, this.cut.length);
      this.cut.push({ id: db.id, dict: db.dict, expires: db.expires, seqLimit: db.nextSequence, keys: db.size, expiring: db.expires.size });
      total += db.size;
    }
    this.keysTotal = total;
    if (hooks !== null) {
      hooks.beforeWrite = (db, key, entry) => this.beforeWrite(db, key, entry);
      hooks.beforeReplaceAll = () => {};
    }
    this.header();
  }

  /** Whether every key has been serialized and the trailer written. */
  get finished(): boolean {
    return this.done;
  }

  private header(): void {
    const out = this.out;
    out.raw(Buffer.from(`${RDB_MAGIC}${String(RDB_VERSION).padStart(4, '0')}`, 'latin1'));
    for (const [name, value] of this.opts.aux) {
      out.byte(RdbOp.Aux);
      out.string(name);
      out.string(value);
    }
  }

  /** The copy-on-write hook: serializes entry first if the cut holds it and it is not written yet. */
  private beforeWrite(db: Db, key: string, entry: Entry): void {
    if (entry.snapshotId === this.id) return;
    const i = this.byDict.get(db.dict);
    if (i === undefined) return;
    const c = this.cut[i]!;
    if (entry.seq >= c.seqLimit) return;
    this.now = this.opts.now();
    const before = this.out.pending;
    this.writeKey(c, key, entry);
    this.cowBytes += this.out.pending - before;
  }

  /** Serializes one entry of cut db c, switching the stream to c's db first if needed. */
  private writeKey(c: CutDb, key: string, entry: Entry): void {
    if (this.streamDb !== c.id) {
      this.out.byte(RdbOp.SelectDb);
      this.out.length(c.id);
      this.streamDb = c.id;
    }
    const when = c.expires.size === 0 ? undefined : c.expires.get(key);
    writeEntry(this.out, key, entry, when === undefined ? -1 : when, this.opts.access, this.now);
    entry.snapshotId = this.id;
    this.keysWritten++;
  }

  /**
   * Walks on until about `budget` bytes are pending, the clock
   * (performance.now()) passes `deadline`, or the walk ends (then writes
   * the trailer and removes the hooks). Returns the bytes produced since
   * the last call (walk and copy-on-write), possibly empty.
   */
  step(budget: number, deadline = Infinity): Buffer {
    const out = this.out;
    this.now = this.opts.now();
    this.deadline = deadline;
    while (!this.done && out.pending < budget && !this.pastDeadline()) {
      const c = this.cut[this.walkIndex];
      if (c === undefined) {
        this.trailer();
        break;
      }
      if (this.walkIter === null) {
        this.walkIter = c.dict.entries();
        out.byte(RdbOp.SelectDb);
        out.length(c.id);
        out.byte(RdbOp.ResizeDb);
        out.length(c.keys);
        out.length(c.expiring);
        this.streamDb = c.id;
      }
      this.walkSome(c, budget);
    }
    return out.take();
  }

  /** Whether the current step must end: its deadline passed (never without one), or rdb-key-save-delay is owed. */
  private pastDeadline(): boolean {
    return this.delay.due || (this.deadline !== Infinity && performance.now() > this.deadline);
  }

  /**
   * What a driver awaits between two steps: the next turn of the event
   * loop, or as long as rdb-key-save-delay asks for the keys just walked.
   */
  pause(): Promise<void> {
    return this.delay.wait();
  }

  /** Serializes pending entries of c until the budget or deadline is reached or its dict is exhausted. */
  private walkSome(c: CutDb, budget: number): void {
    const it = this.walkIter!;
    const out = this.out;
    const id = this.id;
    const delayed = this.delay.active;
    for (let n = 1; out.pending < budget; n++) {
      if (((n & 63) === 0 || delayed) && this.pastDeadline()) return;
      const r = it.next();
      if (r.done === true) {
        this.walkIter = null;
        this.walkIndex++;
        return;
      }
      const [key, entry] = r.value;
      if (entry.snapshotId === id || entry.seq >= c.seqLimit) continue;
      this.writeKey(c, key, entry);
      if (delayed) this.delay.key();
    }
  }

  /** EOF, the checksum, and the end of copy-on-write. */
  private trailer(): void {
    this.out.byte(RdbOp.Eof);
    this.unhook();
    this.done = true;
  }

  /**
   * The 8 checksum bytes that end the file: call after the last step() and
   * append them as they are (they are not part of what they check).
   */
  checksum(): Buffer {
    return this.out.checksum();
  }

  /** Stops copy-on-write; the snapshot produces nothing more. */
  abort(): void {
    this.unhook();
    this.done = true;
  }

  private unhook(): void {
    if (!this.hooked) return;
    this.hooked = false;
    this.hooks!.beforeWrite = null;
    this.hooks!.beforeReplaceAll = null;
  }
}

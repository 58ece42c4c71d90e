/**
 * The sorted set value: a member → score map for O(1) lookups beside a
 * skiplist (skiplist.ts) for order, ranks and ranges, as in Redis.
 *
 * Redis keeps small sorted sets in a listpack and converts them to a
 * skiplist once they outgrow zset-max-listpack-entries (more members) or
 * zset-max-listpack-value (a longer member); it never converts back, except
 * that a set built whole by a store command (ZUNIONSTORE, ZRANGESTORE …)
 * starts compact when it fits. nodis always uses the skiplist (and a Dict
 * for the map, which gives ZSCAN and ZRANDMEMBER their cursors and random
 * picks) and tracks only which encoding Redis would report (OBJECT
 * ENCODING, ZSCAN's whole-set answer, memory estimates). Reply order does
 * not depend on it, except for lexical ranges over members of mixed
 * scores, where a listpack-sized set answers as Redis's listpack scan does.
 */
import { SkipList, lexGteMin, lexLteMax, type LexRange, type ScoreRange, type SkipNode } from './skiplist.js';
import { Dict, hashtableBytes } from './dict.js';
import { mallocSize } from '../keyspace/memory.js';
import { Digest } from '../util/digest.js';
import { formatDouble17g } from '../util/numbers.js';
import type { TypedValue } from '../keyspace/values.js';

/** The listpack thresholds (zset-max-listpack-entries / -value). */
export interface ZsetLimits {
  entries: number;
  value: number;
}

/** Listpack header and terminator; per entry, the encoding overhead of a member and of its score. */
const LISTPACK_HEADER_BYTES = 7;
const LISTPACK_PAIR_OVERHEAD = 12;
/** Redis's zset struct, the skiplist header node, and per member a node (about 1.33 levels) plus its sds header. */
const ZSET_STRUCT_BYTES = 16 + 48 + 32 * 16;
const SKIPLIST_MEMBER_BYTES = 48 + 9;

/** ZADD's flags. */
export const ZADD_NX = 1;
export const ZADD_XX = 2;
export const ZADD_GT = 4;
export const ZADD_LT = 8;
export const ZADD_INCR = 16;

/** What an add did. */
export const enum AddOutcome {
  Added,
  Updated,
  /** Nothing changed (condition not met, or the score was already that). */
  Unchanged,
  /** A condition (NX, XX, GT, LT) refused the element: INCR answers null. */
  Refused,
  /** INCR produced NaN (e.g. inf + -inf); nothing changed. */
  NaN,
}

/** Members and scores removed by a pop, in pop order. */
export interface Popped {
  members: string[];
  scores: number[];
}

export class ZSet implements TypedValue {
  readonly type = 'zset' as const;
  /** member → score, with O(1) random picks and resumable scans. */
  readonly scores = new Dict<number>();
  readonly list = new SkipList();
  /** The score an add settled on (the new score after INCR). */
  lastScore = 0;
  /** Total length of the members (for memoryUsage). */
  private memberBytes = 0;

  constructor(
    /** Whether Redis would hold this set as a listpack. */
    private compact: boolean,
  ) {}

  /** An empty set with the encoding ZADD would create for a first member of memberLength bytes. */
  static forFirstMember(memberLength: number, limits: ZsetLimits): ZSet {
    return new ZSet(limits.entries > 0 && memberLength <= limits.value);
  }

  /**
   * A set holding `entries`, encoded as a store command's result is: a
   * listpack when it fits both limits, else a skiplist.
   */
  static fromEntries(entries: ReadonlyMap<string, number>, limits: ZsetLimits): ZSet {
    let fits = entries.size <= limits.entries;
    const z = new ZSet(false);
    for (const [member, score] of entries) {
      if (member.length > limits.value) fits = false;
      z.link(member, score);
    }
    z.compact = fits;
    return z;
  }

  encoding(): string {
    return this.compact ? 'listpack' : 'skiplist';
  }

  /** Converts to the skiplist encoding for good (SORT does so to any sorted set it reads). */
  toSkiplist(): void {
    this.compact = false;
  }

  /**
   * DEBUG DIGEST walk: for each member, a fresh digest mixing in the member
   * then its score as "%.17g" text, xored (hashed) in, so member order does
   * not matter.
   */
  digestInto(acc: Digest): void {
    this.scores.forEach((member, score) => {
      const ele = new Digest();
      ele.mixIn(member);
      ele.mixIn(formatDouble17g(score));
      acc.xorIn(ele.bytes);
    });
  }

  clone(): ZSet {
    const z = new ZSet(this.compact);
    this.scores.forEach((member, score) => z.link(member, score));
    return z;
  }

  get size(): number {
    return this.scores.size;
  }

  /** The member's score, or undefined. */
  score(member: string): number | undefined {
    return this.scores.get(member);
  }

  /**
   * Estimated bytes of Redis's listpack or skiplist + dict for these
   * members (see keyspace/memory.ts). O(1).
   */
  memoryUsage(): number {
    const n = this.scores.size;
    if (this.compact) return mallocSize(LISTPACK_HEADER_BYTES + this.memberBytes + n * LISTPACK_PAIR_OVERHEAD);
    return ZSET_STRUCT_BYTES + hashtableBytes(n, 0, 0) + n * SKIPLIST_MEMBER_BYTES + this.memberBytes;
  }

  /** Adds an absent member to the map and the list. */
  private link(member: string, score: number): void {
    this.scores.set(member, score);
    this.list.insert(score, member);
    this.memberBytes += member.length;
  }

  /** Drops member from the map (the caller removes it from the list). */
  private forget(member: string): void {
    this.scores.delete(member);
    this.memberBytes -= member.length;
  }

  /**
   * Inserts a member known to be absent, switching to a skiplist when the
   * listpack limits are passed. A listpack stores a score of -0 as 0 (and
   * the element keeps that when the set converts), a skiplist keeps -0.
   */
  insert(member: string, score: number, limits: ZsetLimits): void {
    if (this.compact) score += 0;
    this.link(member, score);
    if (this.compact && (this.scores.size > limits.entries || member.length > limits.value)) this.compact = false;
  }

  /** Moves an existing member from score `from` to score `to`. */
  private rescore(member: string, from: number, to: number): void {
    this.list.remove(from, member);
    this.list.insert(to, member);
    this.scores.set(member, to);
  }

  /**
   * ZADD's per-element step with ZADD_* flags: adds member with score (or
   * adds score to its current one under INCR), honouring NX/XX/GT/LT.
   * The resulting score is left in lastScore when the element was not refused.
   */
  add(member: string, score: number, flags: number, limits: ZsetLimits): AddOutcome {
    const current = this.scores.get(member);
    if (current === undefined) {
      if ((flags & ZADD_XX) !== 0) return AddOutcome.Refused;
      this.insert(member, score, limits);
      this.lastScore = this.scores.get(member)!;
      return AddOutcome.Added;
    }
    if ((flags & ZADD_NX) !== 0) return AddOutcome.Refused;
    if ((flags & ZADD_INCR) !== 0) {
      score += current;
      if (Number.isNaN(score)) return AddOutcome.NaN;
    }
    if (((flags & ZADD_GT) !== 0 && score <= current) || ((flags & ZADD_LT) !== 0 && score >= current)) {
      return AddOutcome.Refused;
    }
    if (this.compact) score += 0;
    this.lastScore = score;
    if (score === current) return AddOutcome.Unchanged;
    this.rescore(member, current, score);
    return AddOutcome.Updated;
  }

  /** Removes member; returns whether it was there. */
  remove(member: string): boolean {
    const score = this.scores.get(member);
    if (score === undefined) return false;
    this.forget(member);
    this.list.remove(score, member);
    return true;
  }

  /** 0-based rank of member from the low end (or from the high end when reverse), or -1. */
  rank(member: string, reverse: boolean): number {
    const score = this.scores.get(member);
    if (score === undefined) return -1;
    const r = this.list.rank(score, member);
    return reverse ? this.list.length - r : r - 1;
  }

  /** The node at 0-based rank from the low end, or null. */
  at(rank: number): SkipNode | null {
    return this.list.at(rank + 1);
  }

  /** Number of members with scores inside r. */
  countScoreRange(r: ScoreRange): number {
    const first = this.list.firstInScoreRange(r);
    if (first === null) return 0;
    const last = this.list.lastInScoreRange(r)!;
    return this.list.rank(last.score, last.member) - this.list.rank(first.score, first.member) + 1;
  }

  /**
   * The first member inside the lexical range r, or null. A listpack-sized
   * set answers as Redis's listpack does, by a scan from the start: the
   * first member at or above the minimum, provided it is within the maximum
   * (this only matters for members of mixed scores, where lexical ranges
   * are undefined; the listpack is small, so the scan is cheap).
   */
  firstInLex(r: LexRange): SkipNode | null {
    if (!this.compact) return this.list.firstInLexRange(r);
    if (!this.list.lexRangeReachable(r)) return null;
    for (let n = this.list.first; n !== null; n = n.next[0] ?? null) {
      if (lexGteMin(n.member, r)) return lexLteMax(n.member, r) ? n : null;
    }
    return null;
  }

  /** The last member inside the lexical range r, or null (a listpack scans from the end, as firstInLex). */
  lastInLex(r: LexRange): SkipNode | null {
    if (!this.compact) return this.list.lastInLexRange(r);
    if (!this.list.lexRangeReachable(r)) return null;
    for (let n = this.list.tail; n !== null; n = n.backward) {
      if (lexLteMax(n.member, r)) return lexGteMin(n.member, r) ? n : null;
    }
    return null;
  }

  /**
   * Number of members inside the lexical range r: by ranks for a skiplist,
   * by walking on from the first one for a listpack, as Redis counts.
   */
  countLexRange(r: LexRange): number {
    const first = this.firstInLex(r);
    if (first === null) return 0;
    if (this.compact) {
      let count = 0;
      for (let n: SkipNode | null = first; n !== null && lexLteMax(n.member, r); n = n.next[0] ?? null) count++;
      return count;
    }
    const last = this.list.lastInLexRange(r)!;
    return this.list.rank(last.score, last.member) - this.list.rank(first.score, first.member) + 1;
  }

  /** Removes the members with scores in r; returns how many. */
  removeScoreRange(r: ScoreRange): number {
    return this.list.removeScoreRange(r, (m) => this.forget(m));
  }

  /** Removes the members inside the lexical range r; returns how many. */
  removeLexRange(r: LexRange): number {
    if (!this.compact) return this.list.removeLexRange(r, (m) => this.forget(m));
    let removed = 0;
    let n = this.firstInLex(r);
    while (n !== null && lexLteMax(n.member, r)) {
      const next = n.next[0] ?? null;
      this.list.remove(n.score, n.member);
      this.forget(n.member);
      removed++;
      n = next;
    }
    return removed;
  }

  /** Removes 0-based ranks start..end (inclusive, within bounds); returns how many. */
  removeRankRange(start: number, end: number): number {
    return this.list.removeRankRange(start + 1, end + 1, (m) => this.forget(m));
  }

  /**
   * Removes up to count members from the low end (or the high end when
   * max) and returns them in pop order: lowest first for min, highest first
   * for max. The caller deletes the key when the set becomes empty.
   */
  pop(max: boolean, count: number): Popped {
    const members: string[] = [];
    const scores: number[] = [];
    const list = this.list;
    while (members.length < count) {
      const n = max ? list.tail : list.first;
      if (n === null) break;
      members.push(n.member);
      scores.push(n.score);
      list.remove(n.score, n.member);
      this.forget(n.member);
    }
    return { members, scores };
  }
}

/**
 * An indexable skiplist of (score, member) pairs: the ordered half of a
 * sorted set. Elements are ordered by score, then by member bytes (members
 * are latin1 strings, so JS string comparison is memcmp order). Every
 * forward link carries a span (how many elements it skips), which makes
 * rank lookups, access by rank and range deletions O(log n) on average.
 *
 * The list knows nothing of member uniqueness: the sorted set pairs it with
 * a member → score map and never inserts a member twice.
 */

/** Highest level a node can reach (enough for 2^64 elements at p = 1/4). */
const MAX_LEVEL = 32;
/** Probability of a node reaching the next level. */
const LEVEL_P = 0.25;

export class SkipNode {
  /** Forward link per level (null at the end of the level). */
  readonly next: (SkipNode | null)[];
  /** Elements skipped by the forward link of each level. */
  readonly span: number[];
  /** The previous node on level 0, null for the first node. */
  backward: SkipNode | null = null;

  constructor(
    readonly member: string,
    readonly score: number,
    level: number,
  ) {
    this.next = new Array<SkipNode | null>(level).fill(null);
    this.span = new Array<number>(level).fill(0);
  }
}

/** A score interval; an exclusive bound excludes its value. */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** A lexical bound: -1 is "-" (below everything), 1 is "+" (above everything), 0 a value. */
export interface LexBound {
  inf: -1 | 0 | 1;
  value: string;
  exclusive: boolean;
}

export interface LexRange {
  min: LexBound;
  max: LexBound;
}

/** Whether score is at or above the range's minimum. */
export function scoreGteMin(score: number, r: ScoreRange): boolean {
  return r.minex ? score > r.min : score >= r.min;
}

/** Whether score is at or below the range's maximum. */
export function scoreLteMax(score: number, r: ScoreRange): boolean {
  return r.maxex ? score < r.max : score <= r.max;
}

/** Whether member is at or above the lexical minimum. */
export function lexGteMin(member: string, r: LexRange): boolean {
  const b = r.min;
  if (b.inf !== 0) return b.inf < 0;
  return b.exclusive ? member > b.value : member >= b.value;
}

/** Whether member is at or below the lexical maximum. */
export function lexLteMax(member: string, r: LexRange): boolean {
  const b = r.max;
  if (b.inf !== 0) return b.inf > 0;
  return b.exclusive ? member < b.value : member <= b.value;
}

/** Whether a score range can hold anything at all (min below max, or equal and inclusive). */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

/** Whether a lexical range can hold nothing whatever the members. */
export function lexRangeEmpty(r: LexRange): boolean {
  const { min, max } = r;
  if (min.inf === 1 || max.inf === -1) return true;
  if (min.inf === -1 || max.inf === 1) return false;
  return min.value > max.value || (min.value === max.value && (min.exclusive || max.exclusive));
}

/** Whether (score, member) sorts strictly before (s, m). */
function before(score: number, member: string, s: number, m: string): boolean {
  return score < s || (score === s && member < m);
}

export class SkipList {
  readonly head = new SkipNode('', 0, MAX_LEVEL);
  tail: SkipNode | null = null;
  length = 0;
  /** Number of levels in use (at least 1). */
  level = 1;
  /** Scratch buffers for insert/delete paths (never hold references between calls). */
  private readonly update: SkipNode[] = new Array<SkipNode>(MAX_LEVEL).fill(this.head);
  private readonly rankAt: number[] = new Array<number>(MAX_LEVEL).fill(0);

  /** The first node (lowest score), or null when empty. */
  get first(): SkipNode | null {
    return this.head.next[0] ?? null;
  }

  /** A random level in 1..MAX_LEVEL, each level 1/4 as likely as the one below. */
  private randomLevel(): number {
    let level = 1;
    while (level < MAX_LEVEL && Math.random() < LEVEL_P) level++;
    return level;
  }

  /**
   * Inserts (score, member), which must not be in the list, and returns its
   * node. O(log n).
   */
  insert(score: number, member: string): SkipNode {
    const update = this.update;
    const rank = this.rankAt;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1]!;
      for (let nx = x.next[i] ?? null; nx !== null && before(nx.score, nx.member, score, member); nx = x.next[i] ?? null) {
        rank[i]! += x.span[i]!;
        x = nx;
      }
      update[i] = x;
    }
    const level = this.randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.head;
        this.head.span[i] = this.length;
      }
      this.level = level;
    }
    const node = new SkipNode(member, score, level);
    for (let i = 0; i < level; i++) {
      const u = update[i]!;
      node.next[i] = u.next[i] ?? null;
      u.next[i] = node;
      node.span[i] = u.span[i]! - (rank[0]! - rank[i]!);
      u.span[i] = rank[0]! - rank[i]! + 1;
    }
    for (let i = level; i < this.level; i++) update[i]!.span[i]!++;
    node.backward = update[0] === this.head ? null : update[0]!;
    const after = node.next[0] ?? null;
    if (after !== null) after.backward = node;
    else this.tail = node;
    this.length++;
    return node;
  }

  /** Unlinks x given, per level, the last node before it (this.update). */
  private unlink(x: SkipNode): void {
    const update = this.update;
    for (let i = 0; i < this.level; i++) {
      const u = update[i]!;
      if (u.next[i] === x) {
        u.span[i]! += x.span[i]! - 1;
        u.next[i] = x.next[i] ?? null;
      } else {
        u.span[i]!--;
      }
    }
    const after = x.next[0] ?? null;
    if (after !== null) after.backward = x.backward;
    else this.tail = x.backward;
    while (this.level > 1 && this.head.next[this.level - 1] === null) this.level--;
    this.length--;
  }

  /** Fills this.update with the last node before (score, member) on each level; returns the candidate. */
  private seek(score: number, member: string): SkipNode | null {
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let nx = x.next[i] ?? null; nx !== null && before(nx.score, nx.member, score, member); nx = x.next[i] ?? null) x = nx;
      this.update[i] = x;
    }
    return x.next[0] ?? null;
  }

  /** Removes (score, member); returns whether it was there. O(log n). */
  remove(score: number, member: string): boolean {
    const x = this.seek(score, member);
    if (x === null || x.score !== score || x.member !== member) return false;
    this.unlink(x);
    return true;
  }

  /** 1-based rank of (score, member), or 0 when absent. O(log n). */
  rank(score: number, member: string): number {
    let x = this.head;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let nx = x.next[i] ?? null; nx !== null && !before(score, member, nx.score, nx.member); nx = x.next[i] ?? null) {
        rank += x.span[i]!;
        x = nx;
      }
      if (x !== this.head && x.member === member && x.score === score) return rank;
    }
    return 0;
  }

  /** The node at 1-based rank, or null when out of range. O(log n). */
  at(rank: number): SkipNode | null {
    if (rank < 1 || rank > this.length) return null;
    let x = this.head;
    let traversed = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] !== null && traversed + x.span[i]! <= rank) {
        traversed += x.span[i]!;
        x = x.next[i]!;
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  /** The first node with a score inside r, or null. O(log n). */
  firstInScoreRange(r: ScoreRange): SkipNode | null {
    if (scoreRangeEmpty(r)) return null;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] !== null && !scoreGteMin(x.next[i]!.score, r)) x = x.next[i]!;
    }
    const n = x.next[0] ?? null;
    return n !== null && scoreLteMax(n.score, r) ? n : null;
  }

  /** The last node with a score inside r, or null. O(log n). */
  lastInScoreRange(r: ScoreRange): SkipNode | null {
    if (scoreRangeEmpty(r)) return null;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] !== null && scoreLteMax(x.next[i]!.score, r)) x = x.next[i]!;
    }
    return x !== this.head && scoreGteMin(x.score, r) ? x : null;
  }

  /**
   * Whether a lexical range may hold anything: it is not empty, the last
   * member is at or above its minimum and the first at or below its maximum.
   */
  lexRangeReachable(r: LexRange): boolean {
    const first = this.head.next[0] ?? null;
    return !lexRangeEmpty(r) && first !== null && lexGteMin(this.tail!.member, r) && lexLteMax(first.member, r);
  }

  /**
   * The first node whose member is inside r, or null. Lexical ranges are
   * meant for members of equal score; with mixed scores the answer depends
   * on the walk, as in Redis.
   */
  firstInLexRange(r: LexRange): SkipNode | null {
    if (!this.lexRangeReachable(r)) return null;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] !== null && !lexGteMin(x.next[i]!.member, r)) x = x.next[i]!;
    }
    const n = x.next[0] ?? null;
    return n !== null && lexLteMax(n.member, r) ? n : null;
  }

  /** The last node whose member is inside r, or null. */
  lastInLexRange(r: LexRange): SkipNode | null {
    if (!this.lexRangeReachable(r)) return null;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] !== null && lexLteMax(x.next[i]!.member, r)) x = x.next[i]!;
    }
    return x !== this.head && lexGteMin(x.member, r) ? x : null;
  }

  /**
   * Removes every node from `first` onwards while `keep(node)` holds,
   * calling onRemove for each; this.update must hold the path to `first`.
   * Returns how many were removed.
   */
  private removeRun(first: SkipNode | null, keep: (n: SkipNode) => boolean, onRemove: (member: string) => void): number {
    let removed = 0;
    let x = first;
    while (x !== null && keep(x)) {
      const after = x.next[0] ?? null;
      this.unlink(x);
      onRemove(x.member);
      removed++;
      x = after;
    }
    return removed;
  }

  /** Removes the nodes with scores inside r; onRemove sees each member. Returns the count. */
  removeScoreRange(r: ScoreRange, onRemove: (member: string) => void): number {
    if (scoreRangeEmpty(r)) return 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] !== null && !scoreGteMin(x.next[i]!.score, r)) x = x.next[i]!;
      this.update[i] = x;
    }
    return this.removeRun(x.next[0] ?? null, (n) => scoreLteMax(n.score, r), onRemove);
  }

  /** Removes the nodes with members inside r; onRemove sees each member. Returns the count. */
  removeLexRange(r: LexRange, onRemove: (member: string) => void): number {
    if (lexRangeEmpty(r)) return 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] !== null && !lexGteMin(x.next[i]!.member, r)) x = x.next[i]!;
      this.update[i] = x;
    }
    return this.removeRun(x.next[0] ?? null, (n) => lexLteMax(n.member, r), onRemove);
  }

  /** Removes the nodes of 1-based ranks start..end (inclusive, valid); returns the count. */
  removeRankRange(start: number, end: number, onRemove: (member: string) => void): number {
    let x = this.head;
    let traversed = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] !== null && traversed + x.span[i]! < start) {
        traversed += x.span[i]!;
        x = x.next[i]!;
      }
      this.update[i] = x;
    }
    let left = end - start + 1;
    return this.removeRun(x.next[0] ?? null, () => left-- > 0, onRemove);
  }
}

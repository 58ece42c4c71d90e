/**
 * Glob-style pattern matching with Redis's rules (KEYS, SCAN MATCH, CONFIG
 * GET, PSUBSCRIBE …), over byte strings (latin1 JS strings):
 *
 *   *        any run of bytes, empty included (consecutive stars are one)
 *   ?        exactly one byte
 *   [abc]    one byte from the set; [^abc] one byte not in it
 *   [a-z]    ranges, reversed ones ([z-a]) are swapped; members may be escaped
 *   \x       the byte x literally; a trailing lone backslash is literal too
 *
 * Quirks kept on purpose because Redis has them: an unterminated class
 * ("[abc") ends at the end of the pattern; "]" right after "[" (or "[^")
 * closes an empty class; a range may end in "]" ("[a-]" is the range a..]
 * and does not close the class); and a pattern needing more than 1000
 * nested stars to match never matches (Redis's recursion limit).
 *
 * In nocase mode bytes are compared after ASCII lower-casing; a range's
 * ends are swapped first and lower-cased after, as Redis does.
 *
 * A pattern is compiled once into tokens and then matched without
 * recursion (backtracking only to the last star), so matching is
 * O(pattern × subject) at worst instead of exponential.
 */

const LITERAL = 0;
const ANY = 1;
const CLASS = 2;
const STAR = 3;

/** Star groups that must be followed by more pattern (Redis's nesting limit). */
const MAX_NESTED_STARS = 1000;

/** A compiled pattern: call it with a subject to test for a match. */
export type GlobMatcher = (subject: string) => boolean;

/** ASCII lower-case of a byte, like C's tolower in the "C" locale. */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** One element of a compiled pattern. */
interface Token {
  kind: number;
  /** The byte for LITERAL (already lower-cased in nocase mode). */
  byte: number;
  /** For CLASS: 1 where the byte matches (negation and nocase applied). */
  set: Uint8Array | null;
}

/**
 * Parses the class starting after "[" at `start`. Returns the byte set and
 * the index just past the class (the closing "]" or the pattern end).
 */
function parseClass(p: string, start: number, nocase: boolean): [Uint8Array, number] {
  const len = p.length;
  let j = start;
  const negate = j < len && p.charCodeAt(j) === 94; // ^
  if (negate) j++;
  const members: number[] = [];
  const ranges: number[] = [];
  for (;;) {
    if (j >= len) break;
    const ch = p.charCodeAt(j);
    if (ch === 92 && j + 1 < len) {
      members.push(p.charCodeAt(j + 1));
      j += 2;
    } else if (ch === 93) {
      j++;
      break;
    } else if (j + 2 < len && p.charCodeAt(j + 1) === 45) {
      let lo = ch;
      let hi = p.charCodeAt(j + 2);
      if (lo > hi) [lo, hi] = [hi, lo];
      if (nocase) {
        lo = lower(lo);
        hi = lower(hi);
      }
      ranges.push(lo, hi);
      j += 3;
    } else {
      members.push(ch);
      j++;
    }
  }
  const set = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    const x = nocase ? lower(c) : c;
    let hit = false;
    for (const m of members) if ((nocase ? lower(m) : m) === x) hit = true;
    for (let r = 0; r < ranges.length && !hit; r += 2) if (x >= ranges[r]! && x <= ranges[r + 1]!) hit = true;
    set[c] = hit !== negate ? 1 : 0;
  }
  return [set, j];
}

/** Splits a pattern into tokens, collapsing consecutive stars. */
function tokenize(p: string, nocase: boolean): Token[] {
  const tokens: Token[] = [];
  const len = p.length;
  let i = 0;
  while (i < len) {
    const ch = p.charCodeAt(i);
    if (ch === 42) {
      if (tokens.length === 0 || tokens[tokens.length - 1]!.kind !== STAR) tokens.push({ kind: STAR, byte: 0, set: null });
      i++;
    } else if (ch === 63) {
      tokens.push({ kind: ANY, byte: 0, set: null });
      i++;
    } else if (ch === 91) {
      const [set, next] = parseClass(p, i + 1, nocase);
      tokens.push({ kind: CLASS, byte: 0, set });
      i = next;
    } else {
      let b = ch;
      if (ch === 92 && i + 1 < len) b = p.charCodeAt(++i);
      tokens.push({ kind: LITERAL, byte: nocase ? lower(b) : b, set: null });
      i++;
    }
  }
  return tokens;
}

/** Whether one non-star token matches byte c. */
function matchOne(t: Token, c: number, nocase: boolean): boolean {
  if (t.kind === LITERAL) return (nocase ? lower(c) : c) === t.byte;
  if (t.kind === ANY) return true;
  return t.set![c] === 1;
}

/** Compiles a pattern into a reusable matcher (use for SCAN/KEYS over many keys). */
export function compileGlob(pattern: string, nocase = false): GlobMatcher {
  if (pattern === '*') return () => true;
  const tokens = tokenize(pattern, nocase);
  let nested = 0;
  for (let i = 0; i < tokens.length - 1; i++) if (tokens[i]!.kind === STAR) nested++;
  if (nested > MAX_NESTED_STARS) return () => false;
  return (s) => matchTokens(tokens, s, nocase);
}

/**
 * Matches subject against tokens: advance both while tokens match; on a
 * mismatch, retry from the most recent star with the star absorbing one
 * more byte. Only the last star needs revisiting, since every other token
 * matches exactly one byte.
 */
function matchTokens(tokens: readonly Token[], s: string, nocase: boolean): boolean {
  const m = tokens.length;
  const n = s.length;
  let p = 0;
  let i = 0;
  let starP = -1;
  let starI = 0;
  while (i < n) {
    if (p < m) {
      const t = tokens[p]!;
      if (t.kind === STAR) {
        starP = p++;
        starI = i;
        continue;
      }
      if (matchOne(t, s.charCodeAt(i), nocase)) {
        p++;
        i++;
        continue;
      }
    }
    if (starP === -1) return false;
    p = starP + 1;
    i = ++starI;
  }
  while (p < m && tokens[p]!.kind === STAR) p++;
  return p === m;
}

/** One-off match of subject against pattern (compile once when matching many). */
export function globMatch(pattern: string, subject: string, nocase = false): boolean {
  return compileGlob(pattern, nocase)(subject);
}

/** Deterministic pseudo-random numbers for tests that must replay the same way every run. */

/** A xorshift32 generator from seed: each call returns an integer in [0, n). */
export function xorshift32(seed: number): (n: number) => number {
  let s = seed;
  return (n: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

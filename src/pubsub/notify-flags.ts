/**
 * notify-keyspace-events as a bit mask. The option's text is already
 * normalised by the config module ('A' standing for "g$lshzxetd", then any
 * of n K E m); this turns it into bits so each notification costs one AND.
 */

/** Bit of each flag letter. */
const LETTER_BITS: Record<string, number> = {
  g: 1 << 0,
  $: 1 << 1,
  l: 1 << 2,
  s: 1 << 3,
  h: 1 << 4,
  z: 1 << 5,
  x: 1 << 6,
  e: 1 << 7,
  t: 1 << 8,
  d: 1 << 9,
  n: 1 << 10,
  m: 1 << 11,
  K: 1 << 12,
  E: 1 << 13,
};

export const KEYSPACE = LETTER_BITS.K!;
export const KEYEVENT = LETTER_BITS.E!;

/** The classes 'A' stands for. */
const ALL_CLASSES = 'g$lshzxetd';

/** The mask of an option text such as "AKE" or "g$Kn". */
export function parseNotifyFlags(text: string): number {
  let mask = 0;
  for (const ch of text) {
    if (ch === 'A') for (const c of ALL_CLASSES) mask |= LETTER_BITS[c]!;
    else mask |= LETTER_BITS[ch] ?? 0;
  }
  return mask;
}

/** The bit of an event class letter ('g', '$', 'l' …), 0 for an unknown one. */
export function classBit(letter: string): number {
  return LETTER_BITS[letter] ?? 0;
}

/**
 * The quicklist nodes Redis 7.0 would hold for a list, as RDB files, DUMP
 * and DEBUG OBJECT show them. nodis keeps a list as one ring of elements
 * (datatypes/list.ts), so the nodes are derived when asked for: the layout
 * a quicklist gets when the same elements are pushed at its tail one by
 * one, with the list's own fill, and with each plain element in a node of
 * its own. Lists that Redis built otherwise (inserts or replacements in
 * the middle of a node, which split nodes without merging them back) may
 * be cut at other places there; the elements are the same.
 */
import type { List } from '../../datatypes/list.js';
import { listpackEntryBytes } from './listpack.js';

/** One node: the elements at indexes [from, to) of the list, in a listpack or (one element) plain. */
export interface QuicklistNode {
  from: number;
  to: number;
  plain: boolean;
  /** The node's size as Redis counts it: the listpack's bytes, or the plain element's length. */
  bytes: number;
}

/** Listpack bytes a quicklist node may hold for a negative fill (-1 → 4 KB … -5 → 64 KB). */
function nodeByteLimit(fill: number): number {
  const level = Math.min(5, Math.max(1, -fill));
  return 4096 << (level - 1);
}

/** Redis's safety cap on a count-limited node's listpack. */
const NODE_SAFETY_BYTES = 8192;
/** What Redis adds to an element's length when estimating whether it still fits a node. */
const NODE_ENTRY_ESTIMATE = 8;
/** A listpack's header and end byte. */
export const LISTPACK_OVERHEAD = 7;

/**
 * The list's nodes, head to tail. A packed element joins the tail node
 * while that node is packed and its listpack size plus the element's
 * length plus 8 stays within the byte size the fill selects (8 KB for a
 * count fill > 0, which also caps the node at `fill` entries); a plain
 * element always gets a new node, and so does the element after it.
 */
export function quicklistNodes(list: List): QuicklistNode[] {
  const fill = list.fill;
  const byCount = fill > 0;
  const maxBytes = byCount ? NODE_SAFETY_BYTES : nodeByteLimit(fill);
  const nodes: QuicklistNode[] = [];
  let tail: QuicklistNode | null = null;
  for (let i = 0; i < list.length; i++) {
    const item = list.at(i);
    if (list.isPlain(i)) {
      nodes.push({ from: i, to: i + 1, plain: true, bytes: item.length });
      tail = null;
      continue;
    }
    const count: number = tail === null ? 0 : tail.to - tail.from;
    if (tail === null || (byCount && count >= fill) || tail.bytes + item.length + NODE_ENTRY_ESTIMATE > maxBytes) {
      tail = { from: i, to: i, plain: false, bytes: LISTPACK_OVERHEAD };
      nodes.push(tail);
    }
    tail.to = i + 1;
    tail.bytes += listpackEntryBytes(item);
  }
  return nodes;
}

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lcsTableBytes, longestCommonSubsequence } from './lcs.js';

describe('lcs', () => {
  test('finds the subsequence and its runs, last run first', () => {
    const r = longestCommonSubsequence('ohmytext', 'mynewtext', 0);
    assert.equal(r.text.toString('latin1'), 'mytext');
    assert.deepEqual(r.matches, [
      { aStart: 4, aEnd: 7, bStart: 5, bEnd: 8 },
      { aStart: 2, aEnd: 3, bStart: 0, bEnd: 1 },
    ]);
    assert.deepEqual(longestCommonSubsequence('ohmytext', 'mynewtext', 4).matches.length, 1);
  });

  test('handles empty and binary strings', () => {
    assert.equal(longestCommonSubsequence('', 'abc', 0).text.length, 0);
    assert.equal(longestCommonSubsequence(Buffer.from([0, 255, 1]), '\x00\x01', 0).text.toString('latin1'), '\x00\x01');
  });

  test('table size', () => {
    assert.equal(lcsTableBytes(1, 2), 24);
  });
});

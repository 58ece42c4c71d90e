/**
 * Glob matching against Redis 7.0.15: the expectations below were recorded
 * by running KEYS <pattern> on a real redis-server holding exactly SUBJECTS
 * as keys (sorted), so they pin down Redis quirks, not our reading of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob, globMatch } from './glob.js';

const SUBJECTS = [
  'hello',
  'hallo',
  'hxllo',
  'hllo',
  'heeeello',
  'h[llo',
  'h]llo',
  'h-llo',
  'h^llo',
  'h\\llo',
  'a*b',
  'axb',
  'ab',
  'a',
  'b',
  '-',
  ']',
  '[',
  '^',
  '\\',
  'x\\y',
  'A',
  'z',
  '`',
  '_',
  'abc',
  'k\x00\xff',
];

/** [pattern, the SUBJECTS that Redis's KEYS returned for it]. */
// prettier-ignore
const RECORDED: [string, string[]][] = [
  ['*', ['-', 'A', '[', '\\', ']', '^', '_', '`', 'a', 'a*b', 'ab', 'abc', 'axb', 'b', 'h-llo', 'h[llo', 'h\\llo', 'h]llo', 'h^llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo', 'k\x00\xff', 'x\\y', 'z']],
  ['**', ['-', 'A', '[', '\\', ']', '^', '_', '`', 'a', 'a*b', 'ab', 'abc', 'axb', 'b', 'h-llo', 'h[llo', 'h\\llo', 'h]llo', 'h^llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo', 'k\x00\xff', 'x\\y', 'z']],
  ['h?llo', ['h-llo', 'h[llo', 'h\\llo', 'h]llo', 'h^llo', 'hallo', 'hello', 'hxllo']],
  ['h*llo', ['h-llo', 'h[llo', 'h\\llo', 'h]llo', 'h^llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo']],
  ['h*o', ['h-llo', 'h[llo', 'h\\llo', 'h]llo', 'h^llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo']],
  ['h[ae]llo', ['hallo', 'hello']],
  ['h[^e]llo', ['h-llo', 'h[llo', 'h\\llo', 'h]llo', 'h^llo', 'hallo', 'hxllo']],
  ['h[a-b]llo', ['hallo']],
  ['h[b-a]llo', ['hallo']],
  ['h[\\[]llo', ['h[llo']],
  ['h\\[llo', ['h[llo']],
  ['h[llo', []],
  ['h[]llo', []],
  ['h[]]llo', []],
  ['h[^]llo', ['h-llo', 'h[llo', 'h\\llo', 'h]llo', 'h^llo', 'hallo', 'hello', 'hxllo']],
  ['h[-]llo', ['h-llo']],
  ['h[a-]llo', []],
  ['h[\\]]llo', ['h]llo']],
  ['h[\\-]llo', ['h-llo']],
  ['h[\\^]llo', ['h^llo']],
  ['h[\\\\]llo', ['h\\llo']],
  ['a\\*b', ['a*b']],
  ['a*b', ['a*b', 'ab', 'axb']],
  ['a\\', []],
  ['\\', ['\\']],
  ['x\\\\y', ['x\\y']],
  ['x\\y', []],
  ['[-]', ['-']],
  ['[a-]', [']', '^', '_', '`', 'a']],
  ['[]]', []],
  ['[]', []],
  ['[^]', ['-', 'A', '[', '\\', ']', '^', '_', '`', 'a', 'b', 'z']],
  ['[^a]', ['-', 'A', '[', '\\', ']', '^', '_', '`', 'b', 'z']],
  ['[!a]', ['a']],
  ['[\\^]', ['^']],
  ['*[', []],
  ['[a-', ['-', 'a']],
  ['a[b', ['ab']],
  ['?', ['-', 'A', '[', '\\', ']', '^', '_', '`', 'a', 'b', 'z']],
  ['??', ['ab']],
  ['[A-Z]', ['A']],
  ['[a-z]', ['a', 'b', 'z']],
  ['[z-a]', ['a', 'b', 'z']],
  ['[^a-z]', ['-', 'A', '[', '\\', ']', '^', '_', '`']],
  ['[_-a]', ['_', '`', 'a']],
  ['[a-_]', ['_', '`', 'a']],
  ['h*l*o', ['h-llo', 'h[llo', 'h\\llo', 'h]llo', 'h^llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo']],
  ['*l*l*', ['h-llo', 'h[llo', 'h\\llo', 'h]llo', 'h^llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo']],
  ['h*x', []],
  ['*\\', ['\\']],
  ['[\\', ['\\']],
  ['[a\\', ['\\', 'a']],
  ['[^\\]]', ['-', 'A', '[', '\\', '^', '_', '`', 'a', 'b', 'z']],
  ['h[e-e]llo', ['hello']],
  ['[\x00]?\xff', []],
  ['k?\xff', ['k\x00\xff']],
  ['k*', ['k\x00\xff']],
];

test('glob: every recorded pattern selects exactly what Redis KEYS selected', () => {
  for (const [pattern, expected] of RECORDED) {
    const m = compileGlob(pattern);
    const got = SUBJECTS.filter((s) => m(s)).sort();
    assert.deepEqual(got, [...expected].sort(), `pattern ${JSON.stringify(pattern)}`);
  }
});

test('glob: empty subject and empty pattern', () => {
  assert.equal(globMatch('', ''), true);
  assert.equal(globMatch('*', ''), true);
  assert.equal(globMatch('**', ''), true);
  assert.equal(globMatch('?', ''), false);
  assert.equal(globMatch('', 'a'), false);
  assert.equal(globMatch('[a', ''), false);
});

test('glob: nocase lowers bytes, and swaps a range before lowering its ends (CONFIG GET in Redis)', () => {
  assert.equal(globMatch('H?', 'hz', true), true);
  assert.equal(globMatch('*Z', 'dynamic-hz', true), true);
  assert.equal(globMatch('[A-z]z', 'hz', true), true);
  assert.equal(globMatch('[H-h]z', 'hz', true), true);
  assert.equal(globMatch('[h-H]z', 'hz', true), true);
  assert.equal(globMatch('[z-[]?', 'hz', true), true);
  assert.equal(globMatch('[^A-G]z', 'hz', true), true);
  // Swapped to Z..a then lowered to z..a: an empty range.
  assert.equal(globMatch('[a-Z]z', 'hz', true), false);
  assert.equal(globMatch('[Z-a]z', 'hz', true), false);
  assert.equal(globMatch('HZ', 'hz', false), false);
});

test('glob: more than 1000 nested stars never match (Redis recursion limit)', () => {
  const key = 'a'.repeat(1500);
  assert.equal(globMatch('*a'.repeat(1000), key), true);
  assert.equal(globMatch('*a'.repeat(1001), key), false);
  // A trailing star does not nest.
  assert.equal(globMatch('a*'.repeat(1001), key), true);
  assert.equal(globMatch('a*'.repeat(1002), key), false);
});

test('glob: pathological patterns run in polynomial time', () => {
  const key = 'a'.repeat(30) + 'b';
  assert.equal(globMatch('a*'.repeat(30) + 'c', key), false);
  assert.equal(globMatch('a*'.repeat(30) + 'b', key), true);
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareBytes, compareCStrings, cString, parsePattern, parseSortWeight } from './sort.js';
import { mulberry32 } from '../../test/support/random.js';

describe('parseSortWeight (strtod as SORT checks it)', () => {
  test('accepts what Redis 7.0 sorts by', () => {
    const ok: [string, number][] = [
      ['', 0],
      [' 1', 1],
      ['\t\n-2.5', -2.5],
      ['0x10', 16],
      ['0X1p3', 8],
      ['-0x.8', -0.5],
      ['inf', Infinity],
      ['-Infinity', -Infinity],
      ['+3', 3],
      ['1e2', 100],
      ['.5', 0.5],
      ['5.', 5],
      ['0e999', 0],
      ['1\0junk', 1],
      ['\0x', 0],
      ['1.7976931348623157e308', 1.7976931348623157e308],
      ['2.2250738585072014e-308', 2.2250738585072014e-308],
      ['0x1p-1030', Math.pow(2, -1030)],
      ['0x1p-1074', 5e-324],
      ['0x1.8p1', 3],
      ['0x0p-99999', 0],
    ];
    for (const [text, value] of ok) assert.equal(parseSortWeight(text), value, JSON.stringify(text));
  });

  test('refuses what Redis 7.0 refuses (garbage, NaN, overflow, underflow)', () => {
    for (const bad of [
      '1 ',
      ' ',
      '-',
      '.',
      'x',
      '0x',
      '1e400',
      '-1e400',
      '1e-400',
      '1e-310',
      '1e-320',
      'nan',
      'NaN(1)',
      'infx',
      'infin',
      '1,5',
      '1e',
      '0x1p',
      '0x1p-1075',
      '0x3p-1075',
      '0x1p99999',
    ]) {
      assert.equal(parseSortWeight(bad), null, JSON.stringify(bad));
    }
  });

  test('agrees with Number() on random canonical decimals (property)', () => {
    const rnd = mulberry32(7);
    for (let i = 0; i < 5000; i++) {
      const v = (rnd() - 0.5) * Math.pow(10, Math.floor(rnd() * 40) - 20);
      const text = rnd() < 0.5 ? String(v) : v.toExponential(Math.floor(rnd() * 17));
      assert.equal(parseSortWeight(text), Number(text), text);
    }
  });
});

describe('byte comparisons', () => {
  test('compareBytes is memcmp order and compareCStrings stops at NUL (property, against Buffer.compare)', () => {
    const rnd = mulberry32(11);
    const word = (): string => {
      let s = '';
      const n = Math.floor(rnd() * 5);
      for (let i = 0; i < n; i++) s += String.fromCharCode([0, 65, 97, 200, 255][Math.floor(rnd() * 5)]!);
      return s;
    };
    for (let i = 0; i < 5000; i++) {
      const a = word();
      const b = word();
      assert.equal(compareBytes(a, b), Buffer.compare(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1')));
      const ca = Buffer.from(cString(a), 'latin1');
      const cb = Buffer.from(cString(b), 'latin1');
      assert.equal(compareCStrings(a, b), Buffer.compare(ca, cb));
    }
  });
});

describe('parsePattern', () => {
  test('splits patterns like Redis', () => {
    assert.deepEqual(parsePattern('#'), { self: true });
    assert.deepEqual(parsePattern('#\0x'), { self: true });
    assert.equal(parsePattern('nostar'), null);
    assert.equal(parsePattern('a\0*'), null);
    assert.deepEqual(parsePattern('w_*'), { self: false, prefix: 'w_', suffix: '', field: null });
    assert.deepEqual(parsePattern('h_*x->f'), { self: false, prefix: 'h_', suffix: 'x', field: 'f' });
    assert.deepEqual(parsePattern('h_*->'), { self: false, prefix: 'h_', suffix: '->', field: null });
    assert.deepEqual(parsePattern('*->f->g'), { self: false, prefix: '', suffix: '', field: 'f->g' });
    assert.deepEqual(parsePattern('->*->'), { self: false, prefix: '->', suffix: '->', field: null });
    assert.deepEqual(parsePattern('p**'), { self: false, prefix: 'p', suffix: '*', field: null });
  });
});

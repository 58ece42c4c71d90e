import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDouble17g, parseDouble, parseLL } from './numbers.js';

test('parseLL follows string2ll: canonical int64 text only', () => {
  assert.equal(parseLL('0'), 0);
  assert.equal(parseLL('-1'), -1);
  assert.equal(parseLL('9007199254740991'), 9007199254740991);
  assert.equal(parseLL('9223372036854775807'), 2 ** 63);
  assert.equal(parseLL('-9223372036854775808'), -9223372036854775808);
  for (const bad of [
    '',
    '-',
    '+1',
    '01',
    '-0',
    ' 1',
    '1 ',
    '1.0',
    '1e3',
    '9223372036854775808',
    '-9223372036854775809',
    '123456789012345678901',
  ]) {
    assert.equal(parseLL(bad), null, bad);
  }
});

test('parseDouble follows string2d: whole string, inf accepted, nan and spaces refused', () => {
  assert.equal(parseDouble('1.5'), 1.5);
  assert.equal(parseDouble('-.5'), -0.5);
  assert.equal(parseDouble('1e3'), 1000);
  assert.equal(parseDouble('+inf'), Infinity);
  assert.equal(parseDouble('-inf'), -Infinity);
  for (const bad of ['', ' 1', '1 ', 'nan', 'abc', '1.5x', '--1']) assert.equal(parseDouble(bad), null, bad);
});

test('formatDouble17g prints like printf("%.17g")', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [1.1, '1.1000000000000001'],
    [0.1, '0.10000000000000001'],
    [1.5, '1.5'],
    [-2.25, '-2.25'],
    [1e16, '10000000000000000'],
    [1e17, '1e+17'],
    [123456789012345680000, '1.2345678901234568e+20'],
    [0.0001, '0.0001'],
    [0.00001, '1.0000000000000001e-05'],
    [5e-324, '4.9406564584124654e-324'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ];
  for (const [d, text] of cases) assert.equal(formatDouble17g(d), text, String(d));
});

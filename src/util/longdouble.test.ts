import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addLongDouble, formatLongDouble, parseLongDouble } from './longdouble.js';

/**
 * INCRBYFLOAT's result for stored value a and increment b as real Redis
 * 7.0.15 printed it (x86-64, glibc); 'invalid' when Redis answered "value is
 * not a valid float", 'inf' for "increment would produce NaN or Infinity".
 */
const REDIS: [string, string, string][] = [
  ['10.5', '0.1', '10.6'],
  ['0.1', '0.2', '0.3'],
  ['3.0', '-3', '0'],
  ['-2.5', '1.25', '-1.25'],
  ['5.0e3', '-0.5', '4999.5'],
  ['18446744073709551617', '0', '18446744073709551616'],
  ['18446744073709551619', '0', '18446744073709551620'],
  ['18446744073709551615', '1', '18446744073709551616'],
  ['9223372036854775807', '-9223372036854775808', '-1'],
  ['0.000003814697265625', '0', '0.00000381469726562'],
  ['-0.000003814697265625', '0', '-0.00000381469726562'],
  ['0.000011444091796875', '0', '0.00001144409179688'],
  ['1e-17', '0', '0.00000000000000001'],
  ['5e-18', '0', '0'],
  ['-5e-18', '0', '0'],
  ['-1e-30', '0', '0'],
  ['1.5e-17', '0', '0.00000000000000002'],
  ['2.5e-17', '0', '0.00000000000000002'],
  ['0.99999999999999999999', '0', '1'],
  ['0.1', '-0.09999999999999999', '0.00000000000000001'],
  ['123456789.123456789123456789', '0', '123456789.12345678912242875'],
  ['1e19', '0.5', '10000000000000000000'],
  ['1e20', '0.5', '100000000000000000000'],
  ['1e30', '1', '1000000000000000000024696061952'],
  ['1e400', '-1e400', '0'],
  ['-0x10', '0', '-16'],
  ['0x1p-16445', '0', '0'],
  ['0x1p-16445', '0x1p-16445', '0'],
  ['0x1.8p-16446', '0', '0'],
  ['0x1p-16446', '0', 'invalid'],
  ['1e-4951', '1', 'invalid'],
  ['1e-4952', '1', 'invalid'],
  ['1e-5000', '0', 'invalid'],
  ['1e5000', '0', 'invalid'],
  ['0x1.ffffffffffffffffp16383', '0', 'invalid'],
  ['1.18e4932', '1.18e4932', 'inf'],
  ['0x1p16383', '0x1p16383', 'inf'],
  ['inf', '1', 'inf'],
  ['1', '-inf', 'inf'],
  ['nan', '1', 'invalid'],
  ['0x', '1', 'invalid'],
  [' 1', '1', 'invalid'],
  ['1\x00', '1', 'invalid'],
];

/** What nodis answers for the same pair, in the table's terms. */
function incrbyfloat(a: string, b: string): string {
  const x = parseLongDouble(a);
  const y = parseLongDouble(b);
  if (x === null || y === null) return 'invalid';
  const sum = addLongDouble(x, y);
  return sum.finite ? formatLongDouble(sum) : 'inf';
}

describe('long double emulation', () => {
  test('matches what Redis 7.0.15 prints for INCRBYFLOAT', () => {
    for (const [a, b, expected] of REDIS) assert.equal(incrbyfloat(a, b), expected, `${a} + ${b}`);
  });

  test('prints -1e400 + 1e399 exactly', () => {
    const text = incrbyfloat('-1e400', '1e399');
    assert.equal(text.length, 401);
    assert.ok(text.startsWith('-9000000000000000000253692615552827863127808090266146834763319624185716980607766'));
    assert.ok(text.endsWith('9359247687199752192'));
  });

  test('the largest finite value prints all its 4933 digits', () => {
    const text = incrbyfloat('0xffffffffffffffffp16320', '0');
    assert.equal(text.length, 4933);
    assert.ok(text.startsWith('118973149535723176502126385303097020516906332229462420044'));
    assert.ok(text.endsWith('2086811989770240'));
  });

  test('accepts strtold syntax and refuses the rest', () => {
    for (const ok of [
      '1',
      '-1',
      '+1',
      '1.',
      '.5',
      '+.5',
      '1e5',
      '1E+5',
      '1e-5',
      '0x1A',
      '0X1p3',
      '0x.8',
      '0x1.8p-1',
      'INF',
      '-Infinity',
      '0',
      '-0',
    ]) {
      assert.notEqual(parseLongDouble(ok), null, ok);
    }
    for (const bad of [
      '',
      '.',
      'e5',
      '1e',
      '1e+',
      '--1',
      '+-1',
      '1 ',
      ' 1',
      '1_0',
      '0x',
      '0xp1',
      '0x1p',
      'nan',
      'NaN(1)',
      'infin',
      '1\x00',
      'x'.repeat(10),
    ]) {
      assert.equal(parseLongDouble(bad), null, JSON.stringify(bad));
    }
    assert.equal(parseLongDouble('1'.repeat(5120)), null);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBlockingTimeout } from './timeout.js';
import { ReplyError } from '../util/errors.js';

/** The error text parseBlockingTimeout throws for text, or null when it parses. */
function errorOf(text: string): string | null {
  try {
    parseBlockingTimeout(text);
    return null;
  } catch (e) {
    return (e as ReplyError).reply;
  }
}

test('timeouts are seconds rounded up to whole milliseconds', () => {
  assert.equal(parseBlockingTimeout('0'), 0);
  assert.equal(parseBlockingTimeout('1'), 1000);
  assert.equal(parseBlockingTimeout('0.5'), 500);
  assert.equal(parseBlockingTimeout('0.0001'), 1);
  assert.equal(parseBlockingTimeout('1e-9'), 1);
  assert.equal(parseBlockingTimeout('0x10'), 16000);
  assert.equal(parseBlockingTimeout('-0'), 0);
  assert.equal(parseBlockingTimeout('-0.0001'), 0, 'rounds up to zero: no timeout');
  assert.equal(parseBlockingTimeout('9223372036854775'), 9223372036854775000);
});

test('invalid and out-of-range timeouts answer Redis 7.0 errors', () => {
  const notFloat = 'ERR timeout is not a float or out of range';
  const negative = 'ERR timeout is negative';
  for (const t of ['', 'abc', ' 1', '1 ', '0.1x', 'nan', '1e5000', '1e-5000']) assert.equal(errorOf(t), notFloat, t);
  for (const t of ['-1', '-0.002', 'inf', '-inf', '1e400', '9223372036854776', '1e19']) assert.equal(errorOf(t), negative, t);
});

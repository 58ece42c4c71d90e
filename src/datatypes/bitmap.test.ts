import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bitAt, combine, countBits, findBit, resolveRange, setBitAt } from './bitmap.js';
import { fitField, parseFieldType, readField, writeField } from './bitfield.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('bitmap', () => {
  test('resolveRange converts negative indexes and clamps', () => {
    assert.deepEqual(resolveRange(0, -1, 3, 8), { first: 0, last: 23 });
    assert.deepEqual(resolveRange(-2, 100, 3, 8), { first: 8, last: 23 });
    assert.deepEqual(resolveRange(3, 9, 24, 1), { first: 3, last: 9 });
    assert.equal(resolveRange(2, 1, 3, 8), null);
    assert.equal(resolveRange(0, -1, 0, 8), null);
  });

  test('countBits counts within bit ranges, edges included', () => {
    const b = bytes(0xff, 0x0f, 0xf0);
    assert.equal(countBits(b, { first: 0, last: 23 }), 16);
    assert.equal(countBits(b, { first: 4, last: 11 }), 4);
    assert.equal(countBits(b, { first: 12, last: 19 }), 8);
    assert.equal(countBits(b, { first: 3, last: 3 }), 1);
  });

  test('findBit finds the first matching bit or -1', () => {
    const b = bytes(0x00, 0xff, 0xf0);
    assert.equal(findBit(b, 1, { first: 0, last: 23 }), 8);
    assert.equal(findBit(b, 0, { first: 8, last: 23 }), 20);
    assert.equal(findBit(b, 0, { first: 8, last: 19 }), -1);
    assert.equal(findBit(b, 1, { first: 20, last: 23 }), -1);
    assert.equal(findBit(b, 1, { first: 3, last: 9 }), 8);
  });

  test('bitAt and setBitAt address bits most significant first', () => {
    const b = bytes(0, 0);
    assert.equal(setBitAt(b, 9, 1), 0);
    assert.deepEqual([...b], [0, 0x40]);
    assert.equal(bitAt(b, 9), 1);
    assert.equal(bitAt(b, 100), 0);
    assert.equal(setBitAt(b, 9, 0), 1);
  });

  test('combine pads shorter sources with zeros', () => {
    const out = new Uint8Array(3);
    combine('and', [bytes(0xff, 0xff, 0xff), bytes(0x0f)], out);
    assert.deepEqual([...out], [0x0f, 0, 0]);
    const or = new Uint8Array(2);
    combine('or', [bytes(0x01), bytes(0x10, 0x20)], or);
    assert.deepEqual([...or], [0x11, 0x20]);
    const not = new Uint8Array(1);
    combine('not', [bytes(0x0f)], not);
    assert.deepEqual([...not], [0xf0]);
  });
});

describe('bitfield', () => {
  test('parseFieldType accepts i1..i64 and u1..u63 only', () => {
    assert.deepEqual(parseFieldType('i64'), { signed: true, bits: 64 });
    assert.deepEqual(parseFieldType('u63'), { signed: false, bits: 63 });
    for (const bad of ['u64', 'i65', 'i0', 'I8', 'i08', 'i+8', 'i', 'x8', 'i8 ']) assert.equal(parseFieldType(bad), null, bad);
  });

  test('fields read and write big-endian at any bit offset', () => {
    const b = new Uint8Array(3);
    const t = { signed: true, bits: 5 };
    assert.equal(writeField(b, 3, t, -3n), true);
    assert.equal(readField(b, 3, t), -3n);
    assert.equal(readField(b, 3, { signed: false, bits: 5 }), 29n);
    assert.equal(writeField(b, 3, t, -3n), false);
    assert.equal(readField(b, 20, { signed: false, bits: 8 }), 0n);
  });

  test('overflow policies', () => {
    const u8 = { signed: false, bits: 8 };
    const i8 = { signed: true, bits: 8 };
    assert.equal(fitField(256n, u8, 'wrap', false), 0n);
    assert.equal(fitField(256n, u8, 'sat', false), 255n);
    assert.equal(fitField(-1n, u8, 'sat', false), 0n);
    assert.equal(fitField(-1n, u8, 'sat', true), 255n);
    assert.equal(fitField(-129n, i8, 'wrap', true), 127n);
    assert.equal(fitField(-129n, i8, 'sat', true), -128n);
    assert.equal(fitField(128n, i8, 'fail', false), null);
  });
});

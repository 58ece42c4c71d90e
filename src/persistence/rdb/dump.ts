/**
 * DUMP and RESTORE payloads, in Redis 7.0's format: the value's RDB type
 * byte and serialization, then the RDB version as 2 bytes little-endian,
 * then the CRC-64 of everything before it as 8 bytes little-endian. So a
 * payload DUMPed by Redis RESTOREs into nodis and back.
 */
import { RdbOutput } from './output.js';
import { RdbCursor } from './cursor.js';
import { Crc64 } from './crc64.js';
import { RdbError } from './errors.js';
import { RDB_VERSION } from './constants.js';
import { valueType, writeValueBody } from './value-writer.js';
import { readValue } from './value-reader.js';
import type { EncodingLimits } from './limits.js';
import type { Value } from '../../keyspace/values.js';

/** The DUMP payload of v. */
export function dumpPayload(v: Value, compress: boolean): Buffer {
  const out = new RdbOutput(compress, false);
  out.byte(valueType(v));
  writeValueBody(out, v);
  out.byte(RDB_VERSION & 0xff);
  out.byte(RDB_VERSION >> 8);
  const body = out.take();
  const crc = new Crc64();
  crc.update(body);
  return Buffer.concat([body, crc.bytes()]);
}

/** Whether the payload's footer is acceptable: a version nodis reads and a matching CRC-64. */
export function verifyPayload(p: Buffer): boolean {
  if (p.length < 10) return false;
  const footer = p.length - 10;
  if (p.readUInt16LE(footer) > RDB_VERSION) return false;
  const crc = new Crc64();
  crc.update(p, 0, footer + 2);
  return crc.matches(p, footer + 2);
}

/**
 * The value a verified payload holds, or null when it is malformed or an
 * empty aggregate (RESTORE's "Bad data format"). Like Redis, the value is
 * read from the whole payload: a length that runs into the footer reads
 * the footer's bytes, and bytes left before the footer are ignored.
 */
export function payloadValue(p: Buffer, key: string, limits: EncodingLimits): Value | null {
  const cur = new RdbCursor(p, 0, p.length);
  try {
    const type = cur.byte('the value type');
    return readValue(cur, type, key, limits);
  } catch (e) {
    if (e instanceof RdbError) return null;
    throw e;
  }
}

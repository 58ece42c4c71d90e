/**
 * The 20-byte accumulator behind DEBUG DIGEST, with Redis's two mixing
 * primitives: "xor in" (acc ^= SHA1(bytes), order-insensitive) and "mix in"
 * (xor in, then acc = SHA1(acc), order-sensitive). Data types fold their
 * content into one with their digestInto method (see keyspace/digest.ts).
 */
import { createHash } from 'node:crypto';

const DIGEST_LEN = 20;

/** A 20-byte digest accumulator with Redis's two mixing primitives. */
export class Digest {
  readonly bytes = Buffer.alloc(DIGEST_LEN);

  /** acc ^= SHA1(data). data is a latin1 byte string or a Buffer. */
  xorIn(data: string | Buffer): void {
    const h = sha1(data);
    for (let i = 0; i < DIGEST_LEN; i++) this.bytes[i]! ^= h[i]!;
  }

  /** acc ^= SHA1(data); acc = SHA1(acc): order-sensitive mixing. */
  mixIn(data: string | Buffer): void {
    this.xorIn(data);
    sha1(this.bytes).copy(this.bytes);
  }

  hex(): string {
    return this.bytes.toString('hex');
  }
}

function sha1(data: string | Buffer): Buffer {
  const h = createHash('sha1');
  if (typeof data === 'string') h.update(data, 'latin1');
  else h.update(data);
  return h.digest();
}

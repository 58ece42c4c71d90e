/**
 * Errors of the RDB layer.
 *
 * BlobError: thrown by the codecs of embedded blobs (LZF, listpack, ziplist,
 * zipmap, intset) when their bytes are malformed; they do not know where
 * the blob sits in the file, so the reader catches it and re-throws an
 * RdbError with the blob's offset.
 *
 * RdbError: a malformed RDB file or DUMP payload, with the byte offset
 * (from the start of the file or payload) where the problem was found.
 * Its message reads like "Unexpected EOF reading a length at offset 1234".
 */
export class BlobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlobError';
  }
}

export class RdbError extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super(`${reason} at offset ${offset}`);
    this.name = 'RdbError';
  }
}

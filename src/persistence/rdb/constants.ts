/**
 * The numbers of the RDB format: the magic, value type bytes, opcodes and
 * the special length encodings. Shared by the reader, the writer and
 * DUMP/RESTORE.
 */

/** The version nodis writes (files, full syncs, DUMP): Redis 7.0's, so Redis 7.0 can load them. */
export const RDB_VERSION = 10;
/**
 * The newest version nodis reads from files and full syncs: Redis 7.2's and
 * Valkey 8's (their additions, listpack sets and the third stream format,
 * are type bytes the reader knows). DUMP payloads stay at RDB_VERSION, as
 * Redis 7.0 checks them.
 */
export const RDB_READ_VERSION = 11;
/** "REDIS" followed by the version as four ASCII digits. */
export const RDB_MAGIC = 'REDIS';

/** Value types: the byte before a key. */
export const enum RdbType {
  String = 0,
  List = 1,
  Set = 2,
  Zset = 3,
  Hash = 4,
  Zset2 = 5,
  ModulePreGa = 6,
  Module2 = 7,
  HashZipmap = 9,
  ListZiplist = 10,
  SetIntset = 11,
  ZsetZiplist = 12,
  HashZiplist = 13,
  ListQuicklist = 14,
  StreamListpacks = 15,
  HashListpack = 16,
  ZsetListpack = 17,
  ListQuicklist2 = 18,
  StreamListpacks2 = 19,
  SetListpack = 20,
  StreamListpacks3 = 21,
}

/** Opcodes: bytes that stand where a type byte would and are not values. */
export const enum RdbOp {
  Function2 = 245,
  FunctionPreGa = 246,
  ModuleAux = 247,
  Idle = 248,
  Freq = 249,
  Aux = 250,
  ResizeDb = 251,
  ExpireTimeMs = 252,
  ExpireTime = 253,
  SelectDb = 254,
  Eof = 255,
}

/** Length prefixes: the top two bits of the first byte. */
export const RDB_6BIT = 0;
export const RDB_14BIT = 1;
export const RDB_32BIT = 0x80;
export const RDB_64BIT = 0x81;
export const RDB_ENCVAL = 3;

/** Special string encodings (after an RDB_ENCVAL prefix). */
export const enum RdbEnc {
  Int8 = 0,
  Int16 = 1,
  Int32 = 2,
  Lzf = 3,
}

/** Quicklist 2 node containers. */
export const QUICKLIST_NODE_PLAIN = 1;
export const QUICKLIST_NODE_PACKED = 2;

/** Names of the type bytes, for error messages. */
export function rdbTypeName(t: number): string {
  switch (t) {
    case RdbType.StreamListpacks:
    case RdbType.StreamListpacks2:
    case RdbType.StreamListpacks3:
      return 'stream';
    case RdbType.ModulePreGa:
    case RdbType.Module2:
      return 'module';
    default:
      return `type ${t}`;
  }
}

#!/usr/bin/env node
/**
 * nodis-check-rdb FILE: checks an RDB file exactly as nodis-server would
 * load it at start-up (same reader, same checks: format, checksum,
 * duplicate keys, db numbers, with Redis's default settings), like
 * redis-check-rdb. Prints what it found and either "RDB looks OK" (exit 0)
 * or the error with its byte offset (exit 1).
 */
import { readFileSync } from 'node:fs';
import { Config } from './config/config.js';
import { Server } from './server/server.js';
import { loadRdb } from './persistence/load.js';
import { RdbError } from './persistence/rdb/errors.js';
import { commandTable } from './commands/index.js';

/** Checks the file at path, writing the report with out; returns the exit status. */
function checkRdbFile(path: string, out: (line: string) => void): number {
  out(`[offset 0] Checking RDB file ${path}`);
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    out(`Cannot open RDB file: ${(e as Error).message}`);
    return 1;
  }
  const server = new Server(commandTable(), new Config());
  server.logger.enabled = false;
  try {
    const r = loadRdb(server, buf);
    for (const [name, value] of r.aux) out(`[info] AUX FIELD ${name} = '${value}'`);
    out(`[offset ${buf.length}] RDB version ${r.version} read to the end`);
    out(`[offset ${buf.length}] \\o/ RDB looks OK! \\o/`);
    out(`[info] ${r.loaded + r.expired} keys read`);
    out(`[info] ${r.expired} already expired`);
    if (r.empty > 0) out(`[info] ${r.empty} empty keys skipped`);
    return 0;
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    out('--- RDB ERROR DETECTED ---');
    out(`[offset ${e.offset}] ${e.reason}`);
    return 1;
  }
}

const path = process.argv[2];
if (path === undefined) {
  process.stderr.write('Usage: nodis-check-rdb <rdb-file-name>\n');
  process.exit(1);
}
process.exit(checkRdbFile(path, (line) => process.stdout.write(`${line}\n`)));

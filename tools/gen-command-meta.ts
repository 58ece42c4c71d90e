/**
 * Regenerates src/commands/meta.json from a running Redis 7.0: for every
 * command, its COMMAND INFO and COMMAND DOCS replies as Redis sends them in
 * RESP3. The command table reads arity, flags and key positions from this
 * file, and COMMAND INFO/DOCS replay it, so nodis describes its commands
 * exactly as Redis does. Usage: node dist/tools/gen-command-meta.js [port]
 * against a redis-server 7.0 on 127.0.0.1.
 */
import { connect } from 'node:net';
import { writeFileSync } from 'node:fs';
import { ReplyParser, type RespValue } from '../src/protocol/reply-parser.js';
import { encodeCompact, type Compact } from '../src/commands/meta.js';

const port = Number(process.argv[2] ?? 6379);

function request(sock: ReturnType<typeof connect>, parser: ReplyParser, argv: string[]): Promise<RespValue> {
  return new Promise((resolve) => {
    let out = `*${argv.length}\r\n`;
    for (const a of argv) out += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
    const onData = (chunk: Buffer) => {
      parser.feed(chunk);
      const v = parser.next();
      if (v !== undefined) {
        sock.off('data', onData);
        resolve(v);
      }
    };
    sock.on('data', onData);
    sock.write(out);
  });
}

const sock = connect(port, '127.0.0.1');
const parser = new ReplyParser();
await request(sock, parser, ['HELLO', '3']);
const list = await request(sock, parser, ['COMMAND', 'LIST']);
if (list.kind !== 'array') throw new Error('COMMAND LIST failed');
const names = list.items.map((i) => (i as { value: string }).value).sort();
const meta: Record<string, { info: Compact; docs: Compact }> = {};
for (const name of names) {
  const info = await request(sock, parser, ['COMMAND', 'INFO', name]);
  const docs = await request(sock, parser, ['COMMAND', 'DOCS', name]);
  if (info.kind !== 'array' || docs.kind !== 'map') throw new Error(`bad reply for ${name}`);
  meta[name] = { info: encodeCompact(info.items[0]!), docs: encodeCompact(docs.entries[0]![1]) };
}
writeFileSync(new URL('../../src/commands/meta.json', import.meta.url), JSON.stringify(meta));
console.log(`wrote ${names.length} commands`);
sock.end();

/**
 * CLIENT over real sockets: LIST/INFO lines, KILL forms, PAUSE ordering
 * (paused commands wait and then run in order; WRITE pauses only writes),
 * REPLY OFF/SKIP/ON, NO-EVICT flags.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNodis } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { waitFor } from '../support/wait.js';
import type { RunningServer } from '../../src/index.js';
import type { RespValue } from '../../src/protocol/reply-parser.js';

function text(v: RespValue): string {
  assert.ok(v.kind === 'bulk' || v.kind === 'verbatim' || v.kind === 'simple', `unexpected ${v.kind}`);
  return v.value;
}

/** Parses one CLIENT LIST line into its fields. */
function fields(line: string): Map<string, string> {
  return new Map(
    line
      .trim()
      .split(' ')
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

const FIELD_ORDER =
  'id addr laddr fd name age idle flags db sub psub ssub multi qbuf qbuf-free argv-mem multi-mem rbs rbp obl oll omem tot-mem events cmd user redir resp';

describe('CLIENT', () => {
  let srv: RunningServer;
  before(async () => {
    srv = await startNodis();
  });
  after(async () => {
    await srv.stop();
  });

  test('LIST and INFO lines carry every 7.0 field in order', async () => {
    const a = await RawClient.connect(srv.port);
    const b = await RawClient.connect(srv.port);
    try {
      await b.call('CLIENT', 'SETNAME', 'bee');
      await b.call('SELECT', '3');
      const info = text(await a.value('CLIENT', 'INFO'));
      assert.ok(info.endsWith('\n'));
      const f = fields(info);
      assert.equal([...f.keys()].join(' '), FIELD_ORDER);
      assert.equal(f.get('cmd'), 'client|info');
      assert.equal(f.get('flags'), 'N');
      assert.equal(f.get('multi'), '-1');
      assert.equal(f.get('argv-mem'), '10');
      const list = text(await a.value('CLIENT', 'LIST'))
        .trim()
        .split('\n')
        .map(fields);
      assert.equal(list.length, 2);
      const bee = list.find((l) => l.get('name') === 'bee')!;
      assert.equal(bee.get('db'), '3');
      assert.equal(bee.get('cmd'), 'select');
      const id = bee.get('id')!;
      const byId = text(await a.value('CLIENT', 'LIST', 'ID', id, '999'))
        .trim()
        .split('\n');
      assert.equal(byId.length, 1);
      assert.equal(fields(byId[0]!).get('name'), 'bee');
      assert.equal(text(await a.value('CLIENT', 'LIST', 'TYPE', 'replica')), '');
      await a.call('HELLO', '3');
      const r = await a.call('CLIENT', 'INFO');
      assert.equal(r.value.kind, 'verbatim');
      assert.match(r.raw.toString(), /^=\d+\r\ntxt:id=/);
    } finally {
      a.close();
      b.close();
    }
  });

  test('KILL by address (old form), by filters, and itself', async () => {
    const a = await RawClient.connect(srv.port);
    const b = await RawClient.connect(srv.port);
    const c = await RawClient.connect(srv.port);
    const addrOf = async (cl: RawClient) => fields(text(await cl.value('CLIENT', 'INFO'))).get('addr')!;
    const idOf = async (cl: RawClient) => Number(((await cl.value('CLIENT', 'ID')) as { value: bigint }).value);
    assert.deepEqual(await a.value('CLIENT', 'KILL', await addrOf(b)), { kind: 'simple', value: 'OK' });
    await b.waitClosed();
    assert.deepEqual(await a.value('CLIENT', 'KILL', 'ID', String(await idOf(c))), { kind: 'int', value: 1n });
    await c.waitClosed();
    // SKIPME defaults to yes: nobody else is left, so nothing is killed.
    assert.deepEqual(await a.value('CLIENT', 'KILL', 'TYPE', 'normal'), { kind: 'int', value: 0n });
    assert.deepEqual(await a.value('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'no'), { kind: 'int', value: 1n });
    await a.waitClosed();
  });

  test('PAUSE ALL holds every command, then they run in order', async () => {
    const admin = await RawClient.connect(srv.port);
    const a = await RawClient.connect(srv.port);
    try {
      // Taken before the pause starts on the server, so the pause's 300 ms all fall after it.
      const started = Date.now();
      await admin.call('CLIENT', 'PAUSE', '300', 'ALL');
      a.write(RawClient.encode(['SET', 'order', '1']));
      a.write(RawClient.encode(['APPEND', 'order', '2']));
      a.write(RawClient.encode(['GET', 'order']));
      const r1 = await a.read();
      assert.ok(Date.now() - started >= 290, 'paused command answered too early');
      assert.deepEqual(r1.value, { kind: 'simple', value: 'OK' });
      await a.read();
      assert.deepEqual((await a.read()).value, { kind: 'bulk', value: '12' });
    } finally {
      admin.close();
      a.close();
    }
  });

  test('PAUSE WRITE holds writes only; UNPAUSE releases them', async () => {
    const admin = await RawClient.connect(srv.port);
    const a = await RawClient.connect(srv.port);
    try {
      await admin.call('CLIENT', 'PAUSE', '100000', 'WRITE');
      assert.equal((await a.value('GET', 'nothing')).kind, 'null');
      a.write(RawClient.encode(['SET', 'w', 'v']));
      // As in Redis 7.0, the held write shows as a blocked client running SET.
      const held = async () => /^blocked_clients:1\r$/m.test(text(await admin.value('INFO', 'clients')));
      await waitFor('the SET to be held', held);
      const line = text(await admin.value('CLIENT', 'LIST'))
        .split('\n')
        .find((l) => l.includes(' cmd=set '));
      assert.match(line ?? '', / flags=b /);
      assert.equal((await admin.value('GET', 'w')).kind, 'null');
      // No reply meanwhile (a short read that must time out: proving something does NOT happen).
      await assert.rejects(a.read(50), /timed out/);
      assert.deepEqual(await admin.value('CLIENT', 'UNPAUSE'), { kind: 'simple', value: 'OK' });
      assert.deepEqual((await a.read()).value, { kind: 'simple', value: 'OK' });
      assert.deepEqual(await admin.value('GET', 'w'), { kind: 'bulk', value: 'v' });
    } finally {
      admin.close();
      a.close();
    }
  });

  test('REPLY OFF, SKIP and ON', async () => {
    const a = await RawClient.connect(srv.port);
    try {
      a.write(RawClient.encode(['CLIENT', 'REPLY', 'SKIP']));
      a.write(RawClient.encode(['PING', 'skipped']));
      a.write(RawClient.encode(['PING', 'one']));
      assert.deepEqual((await a.read()).value, { kind: 'bulk', value: 'one' });
      a.write(RawClient.encode(['CLIENT', 'REPLY', 'OFF']));
      a.write(RawClient.encode(['PING', 'off']));
      a.write(RawClient.encode(['CLIENT', 'REPLY', 'ON']));
      assert.deepEqual((await a.read()).value, { kind: 'simple', value: 'OK' });
      assert.deepEqual(await a.value('PING', 'two'), { kind: 'bulk', value: 'two' });
    } finally {
      a.close();
    }
  });

  test('NO-EVICT shows in the flags', async () => {
    const a = await RawClient.connect(srv.port);
    try {
      await a.call('CLIENT', 'NO-EVICT', 'on');
      assert.equal(fields(text(await a.value('CLIENT', 'INFO'))).get('flags'), 'e');
      await a.call('CLIENT', 'NO-EVICT', 'off');
      assert.equal(fields(text(await a.value('CLIENT', 'INFO'))).get('flags'), 'N');
    } finally {
      a.close();
    }
  });
});

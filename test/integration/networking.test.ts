/**
 * Connection-level behaviour, against nodis and (when installed) a real
 * redis-server started with the same options: Unix socket clients behave
 * like TCP ones; maxclients, timeout, bind (optional addresses), requirepass
 * with AUTH / HELLO AUTH / NOAUTH, and protected mode, exercised by a
 * client connecting from 127.0.0.2 (not local to Redis, see NOT_LOCAL).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAvailable, startNodis } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { waitFor } from '../support/wait.js';
import { startTargets, stopTargets, type Target, type TargetConfig } from '../support/targets.js';

const withRedis = redisAvailable('networking tests (redis-server half)');

const NOAUTH = '-NOAUTH Authentication required.\r\n';
const WRONGPASS = '-WRONGPASS invalid username-password pair or user is disabled.\r\n';
const HELLO_NOAUTH =
  '-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n';
/** Redis 7.0.15's reply to a non-loopback client in protected mode, typo included. */
const DENIED =
  "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

/** The HELLO reply with the connection id (which differs between servers) masked. */
function maskId(reply: string): string {
  return reply.replace(/(\$2\r\nid\r\n:)\d+/, '$1N');
}

/** Starts targets for the body of one test and always stops them. */
async function withTargets(config: TargetConfig, body: (targets: Target[]) => Promise<void>): Promise<void> {
  const targets = await startTargets(withRedis, config);
  try {
    await body(targets);
  } finally {
    await stopTargets(targets);
  }
}

/** Connects (from localAddress when given), expecting the server to answer `expected` unprompted and close. */
async function expectRejected(port: number, host: string, expected: string, name: string, localAddress?: string): Promise<void> {
  const c = await RawClient.connect(port, host, localAddress);
  try {
    assert.equal(await c.readText(), expected, name);
    await c.waitClosed();
  } finally {
    c.close();
  }
}

/**
 * Where a client Redis does not count as local connects from: 127.0.0.2.
 * Redis 7.0 counts only the peers 127.0.0.1 and ::1 (and unix sockets) as
 * local, so this loopback traffic, which every Linux host routes through
 * `lo` without any set-up, is an outside client to protected mode.
 */
const NOT_LOCAL = '127.0.0.2';

/** Whether this host can listen on the IPv6 loopback. */
async function hasIPv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(0, '::1', () => srv.close(() => resolve(true)));
  });
}

/** A session of ordinary commands, whose transcript must not depend on the transport. */
async function session(c: RawClient): Promise<string[]> {
  const out: string[] = [];
  for (const argv of [
    ['PING'],
    ['ECHO', 'hi\r\nthere'],
    ['SET', 'transport:k', 'v\x00\xff'],
    ['GET', 'transport:k'],
    ['GET', 'transport:missing'],
    ['SELECT', '99'],
    ['NOSUCHCOMMAND', 'x'],
  ]) {
    out.push(await c.callText(...argv));
  }
  return out;
}

describe('unix socket', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nodis-unix-'));
  const sockets = new Map<string, string>();
  let targets: Target[];

  before(async () => {
    targets = await startTargets(withRedis, (name) => {
      const path = join(dir, `${name}.sock`);
      sockets.set(name, path);
      return { unixsocket: path, unixsocketperm: '700' };
    });
  });

  after(async () => {
    await stopTargets(targets);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the socket file gets unixsocketperm', () => {
    for (const t of targets) assert.equal(statSync(sockets.get(t.name)!).mode & 0o777, 0o700, t.name);
  });

  test('a unix socket client gets the same replies as a TCP client', async () => {
    for (const t of targets) {
      const tcp = await RawClient.connect(t.port);
      const unix = await RawClient.connectUnix(sockets.get(t.name)!);
      try {
        const overTcp = await session(tcp);
        assert.deepEqual(await session(unix), overTcp, t.name);
        assert.equal(overTcp[3], '$3\r\nv\x00\xff\r\n', t.name);
        assert.equal(maskId(await unix.callText('HELLO', '3')), maskId(await tcp.callText('HELLO', '3')), t.name);
      } finally {
        tcp.close();
        unix.close();
      }
    }
  });

  test('protocol errors close unix socket clients too', async () => {
    for (const t of targets) {
      const c = await RawClient.connectUnix(sockets.get(t.name)!);
      try {
        c.write('*1\r\n$x\r\n');
        assert.equal(await c.readText(), '-ERR Protocol error: invalid bulk length\r\n', t.name);
        await c.waitClosed();
      } finally {
        c.close();
      }
    }
  });
});

describe('connection limits', () => {
  test('maxclients: the connection over the limit is refused with an error', async () => {
    await withTargets({ maxclients: '2' }, async (targets) => {
      for (const t of targets) {
        // Closed connections (the start-up probe, then `a`) free their slot
        // once the server notices, hence the retries.
        const a = await connectAccepted(t.port, `${t.name}: first client`);
        const b = await connectAccepted(t.port, `${t.name}: second client`);
        try {
          await expectRejected(t.port, '127.0.0.1', '-ERR max number of clients reached\r\n', t.name);
          a.close();
          (await connectAccepted(t.port, `${t.name}: a slot frees up`)).close();
        } finally {
          a.close();
          b.close();
        }
      }
    });
  });

  test('timeout: idle clients are closed, without a reply', async () => {
    await withTargets({ timeout: '1' }, async (targets) => {
      await Promise.all(
        targets.map(async (t) => {
          const c = await RawClient.connect(t.port);
          try {
            assert.equal(await c.callText('PING'), '+PONG\r\n');
            await c.waitClosed();
            await assert.rejects(c.read(), /connection closed/, t.name);
          } finally {
            c.close();
          }
        }),
      );
    });
  });
});

/**
 * Connects until the server accepts the client (answers PING), retrying
 * while it refuses with max clients; returns the client.
 */
async function connectAccepted(port: number, what: string): Promise<RawClient> {
  let accepted: RawClient | null = null;
  const accept = async () => {
    const c = await RawClient.connect(port);
    if ((await c.callText('PING').catch(() => 'closed')) === '+PONG\r\n') accepted = c;
    else c.close();
    return accepted !== null;
  };
  await waitFor(`the server to accept ${what}`, accept);
  return accepted!;
}

describe('bind', () => {
  test('optional addresses (-addr) that are unavailable are skipped', async () => {
    const ipv6 = await hasIPv6Loopback();
    // 203.0.113.0/24 is reserved for documentation: never an address of this host.
    await withTargets({ bind: '127.0.0.1 -::1 -203.0.113.77' }, async (targets) => {
      for (const t of targets) {
        const c = await RawClient.connect(t.port, '127.0.0.1');
        try {
          assert.equal(await c.callText('PING'), '+PONG\r\n', t.name);
        } finally {
          c.close();
        }
        if (ipv6) {
          const c6 = await RawClient.connect(t.port, '::1');
          try {
            assert.equal(await c6.callText('PING'), '+PONG\r\n', `${t.name} over ::1`);
          } finally {
            c6.close();
          }
        }
      }
    });
  });

  test('a required address that is unavailable stops start-up', async () => {
    await assert.rejects(startNodis({ bind: '127.0.0.1 203.0.113.77' }), /Failed listening on port/);
  });
});

describe('requirepass', () => {
  let targets: Target[];

  before(async () => {
    targets = await startTargets(withRedis, { requirepass: 's3cret' });
  });

  after(() => stopTargets(targets));

  test('NOAUTH until AUTH; WRONGPASS for bad credentials; RESET forgets authentication', async () => {
    for (const t of targets) {
      const c = await RawClient.connect(t.port);
      try {
        const steps: [string[], string][] = [
          [['PING'], NOAUTH],
          [['SET', 'k', 'v'], NOAUTH],
          [['AUTH', 'wrong'], WRONGPASS],
          [['AUTH', 'default', 'wrong'], WRONGPASS],
          [['AUTH', 'nobody', 's3cret'], WRONGPASS],
          [['AUTH', 'a', 'b', 'c'], '-ERR syntax error\r\n'],
          [['AUTH', 's3cret'], '+OK\r\n'],
          [['SET', 'k', 'v'], '+OK\r\n'],
          [['AUTH', 'default', 's3cret'], '+OK\r\n'],
          [['RESET'], '+RESET\r\n'],
          [['GET', 'k'], NOAUTH],
          [['NOSUCHCOMMAND'], "-ERR unknown command 'NOSUCHCOMMAND', with args beginning with: \r\n"],
        ];
        for (const [argv, expected] of steps) assert.equal(await c.callText(...argv), expected, `${t.name}: ${argv.join(' ')}`);
      } finally {
        c.close();
      }
    }
  });

  test('HELLO needs authentication, or authenticates with AUTH', async () => {
    const hello3 =
      '%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:N\r\n' +
      '$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n';
    for (const t of targets) {
      const c = await RawClient.connect(t.port);
      try {
        assert.equal(await c.callText('HELLO', '3'), HELLO_NOAUTH, t.name);
        assert.equal(await c.callText('HELLO', '3', 'AUTH', 'default', 'nope'), WRONGPASS, t.name);
        assert.equal(maskId(await c.callText('HELLO', '3', 'AUTH', 'default', 's3cret')), hello3, t.name);
        assert.equal(await c.callText('GET', 'missing'), '_\r\n', t.name);
      } finally {
        c.close();
      }
    }
  });

  test('unauthenticated clients are held to small requests', async () => {
    for (const t of targets) {
      const c = await RawClient.connect(t.port);
      try {
        c.write(RawClient.encode(Array<string>(11).fill('x')));
        assert.equal(await c.readText(), '-ERR Protocol error: unauthenticated multibulk length\r\n', t.name);
        await c.waitClosed();
      } finally {
        c.close();
      }
    }
  });
});

describe('protected mode', () => {
  test('a client from another address than 127.0.0.1 is denied without a password, unless protected-mode is off', async () => {
    await withTargets({ bind: '127.0.0.1' }, async (targets) => {
      for (const t of targets) {
        await expectRejected(t.port, '127.0.0.1', DENIED, t.name, NOT_LOCAL);
        const local = await RawClient.connect(t.port, '127.0.0.1');
        assert.equal(await local.callText('PING'), '+PONG\r\n', `${t.name}: loopback is allowed`);
        local.close();
      }
    });
    await withTargets({ bind: '127.0.0.1', requirepass: 'pw' }, async (targets) => {
      for (const t of targets) {
        const c = await RawClient.connect(t.port, '127.0.0.1', NOT_LOCAL);
        assert.equal(await c.callText('PING'), NOAUTH, `${t.name}: with a password`);
        c.close();
      }
    });
    await withTargets({ bind: '127.0.0.1', 'protected-mode': 'no' }, async (targets) => {
      for (const t of targets) {
        const c = await RawClient.connect(t.port, '127.0.0.1', NOT_LOCAL);
        assert.equal(await c.callText('PING'), '+PONG\r\n', `${t.name}: protected-mode no`);
        c.close();
      }
    });
  });
});

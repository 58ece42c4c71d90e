/**
 * Replica-side options, each checked on a nodis replica and on a real Redis
 * replica with the same expectations:
 * - bind-source-addr: the replica connects to its master from that address;
 * - propagation-error-behavior panic-on-replicas: a read-only replica that
 *   fails a command of its master's stream panics instead of diverging;
 * - replica-ignore-disk-write-errors: a replica that cannot save panics on
 *   its master's next write (no), or applies it with a warning (yes).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { redisAvailable } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import type { RespValue } from '../../src/protocol/reply-parser.js';
import { info, replicate, startNode, stopNodes, text, waitFor, waitInSync, type NodeKind, type ReplNode } from '../support/replication.js';

const KINDS: NodeKind[] = redisAvailable('replica option tests (Redis replicas)') ? ['nodis', 'redis'] : ['nodis'];

/** Starts a master (nodis unless masterKind) and a replica of kind with config, in sync; runs fn; stops both. */
async function withPair(
  kind: NodeKind,
  config: Record<string, string>,
  fn: (m: ReplNode, r: ReplNode) => Promise<void>,
  masterKind: NodeKind = 'nodis-inproc',
  masterConfig: Record<string, string> = {},
): Promise<void> {
  let master: ReplNode | undefined;
  let replica: ReplNode | undefined;
  try {
    master = await startNode(masterKind, masterConfig);
    replica = await startNode(kind, config);
    await replicate(replica, master);
    await waitInSync(master, replica);
    await fn(master, replica);
  } finally {
    await stopNodes(replica, master);
  }
}

/** The directory a node saves in. */
async function dirOf(node: ReplNode): Promise<string> {
  return text(((await node.admin.value('CONFIG', 'GET', 'dir')) as { items: RespValue[] }).items[1]!);
}

/** Waits until node's log shows text and the node no longer accepts connections (it panicked). */
async function waitPanicked(node: ReplNode, textInLog: string): Promise<void> {
  await waitFor(
    `${node.name} to log "${textInLog}"`,
    () => node.logTail(400).includes(textInLog),
    () => node.logTail(),
  );
  await waitFor(`${node.name} to exit`, async () => {
    try {
      (await RawClient.connect(node.port)).close();
      return false;
    } catch {
      return true;
    }
  });
}

describe('replica options', () => {
  for (const kind of KINDS) {
    test(`${kind} replica: bind-source-addr is the address the master sees`, async () => {
      // 127.0.0.2 is no loopback address to protected mode (as in Redis): the master allows it.
      await withPair(
        kind,
        { 'bind-source-addr': '127.0.0.2' },
        async (master) => {
          const m = await info(master.admin, 'replication');
          assert.match(m.get('slave0') ?? '', /^ip=127\.0\.0\.2,/);
        },
        'nodis-inproc',
        { 'protected-mode': 'no' },
      );
    });

    test(`${kind} replica: propagation-error-behavior panic-on-replicas stops a read-only replica on a failed command`, async () => {
      await withPair(kind, { 'propagation-error-behavior': 'panic-on-replicas' }, async (master, replica) => {
        // Make the replica diverge on purpose, then let the master's stream hit the difference.
        assert.equal(text(await replica.admin.value('CONFIG', 'SET', 'replica-read-only', 'no')), 'OK');
        await replica.admin.value('RPUSH', 'x', 'a');
        assert.equal(text(await replica.admin.value('CONFIG', 'SET', 'replica-read-only', 'yes')), 'OK');
        await master.admin.value('INCR', 'x');
        await waitPanicked(
          replica,
          "Guru Meditation: This replica panicked sending an error to its master after processing the command 'incr'",
        );
      });
    });

    test(`${kind} master and replica: rdb-del-sync-files removes the files of a disk-based full sync without persistence`, async () => {
      const noPersistence = { save: '', 'rdb-del-sync-files': 'yes' };
      const masterConfig = { ...noPersistence, 'repl-diskless-sync': 'no' };
      const master = kind === 'redis' ? 'redis' : 'nodis';
      await withPair(
        kind,
        noPersistence,
        async (m, r) => {
          for (const [node, line] of [
            [m, 'Removing the RDB file used to feed replicas in a persistence-less instance'],
            [r, 'Removing the RDB file obtained from the master. This replica has persistence disabled'],
          ] as const) {
            const file = join(await dirOf(node), 'dump.rdb');
            await waitFor(
              `${node.name} to remove ${file}`,
              () => !existsSync(file) && node.logTail(400).includes(line),
              () => node.logTail(),
            );
          }
        },
        master,
        masterConfig,
      );
    });

    for (const ignore of ['no', 'yes']) {
      test(`${kind} replica: replica-ignore-disk-write-errors ${ignore} when its save failed`, async () => {
        const config = { save: '3600 1', dbfilename: 'blocked.rdb', 'replica-ignore-disk-write-errors': ignore };
        await withPair(kind, config, async (master, replica) => {
          // A non-empty directory where the RDB file (written by the full sync) was: the next save cannot finish.
          const dir = await dirOf(replica);
          rmSync(join(dir, 'blocked.rdb'), { force: true });
          mkdirSync(join(dir, 'blocked.rdb', 'x'), { recursive: true });
          await replica.admin.value('BGSAVE');
          const failed = async () => (await info(replica.admin, 'persistence')).get('rdb_last_bgsave_status') === 'err';
          await waitFor(`${replica.name}'s BGSAVE to fail`, failed, () => replica.logTail());
          await master.admin.value('SET', 'k', 'v');
          if (ignore === 'no') {
            await waitPanicked(replica, 'Guru Meditation: Replica was unable to write command to disk.');
            return;
          }
          await waitFor(`${replica.name} to apply SET`, async () => text(await replica.admin.value('GET', 'k')) === 'v');
          assert.ok(replica.logTail(400).includes('Replica is applying a command even though it is unable to write to disk.'));
        });
      });
    }
  }
});

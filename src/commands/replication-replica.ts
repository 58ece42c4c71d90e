/**
 * The replica-side replication commands: REPLICAOF (and its old name
 * SLAVEOF), which starts or ends following a master, and ROLE. The work
 * is done by the server's replica link (src/replication/replica/link.ts); these
 * handlers validate, log Redis's lines and reply as Redis 7.0 does.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { clientInfoLine } from '../server/client-info.js';
import { ReplyError } from '../util/errors.js';
import { parseLL } from '../util/numbers.js';
import { nowMs } from '../util/clock.js';
import { FailoverState } from '../replication/primary/failover.js';
import { ClientKind } from '../server/client-kind.js';

/** REPLICAOF host port | REPLICAOF NO ONE */
function replicaof(c: Client, argv: string[]): void {
  const server = c.server;
  const log = server.logger;
  const host = argv[1]!;
  const who = () => clientInfoLine(c, nowMs(), argv);
  // A FAILOVER (replication/primary/failover.ts) owns the role until it ends.
  if (server.replication.failover.state !== FailoverState.None) throw new ReplyError('ERR REPLICAOF not allowed while failing over.');
  if (host.toLowerCase() === 'no' && argv[2]!.toLowerCase() === 'one') {
    if (server.isReplica()) {
      server.replicaLink.unsetMaster();
      log.notice(`MASTER MODE enabled (user request from '${who()}')`);
    }
    c.reply.ok();
    return;
  }
  if (c.is(ClientKind.Replica)) throw new ReplyError('ERR Command is not valid when client is a replica.');
  const port = parseLL(argv[2]!);
  if (port === null || port < 0 || port > 65535) throw new ReplyError('ERR Invalid master port');
  const link = server.replicaLink;
  if (link.masterHost !== null && link.masterHost.toLowerCase() === host.toLowerCase() && link.port === port) {
    log.notice('REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.');
    c.reply.simple('OK Already connected to specified master');
    return;
  }
  server.replicaLink.setMaster(host, port);
  log.notice(`REPLICAOF ${host}:${port} enabled (user request from '${who()}')`);
  c.reply.ok();
}

/** ROLE: master offset [[ip port offset] …] | slave host port state offset */
function role(c: Client): void {
  const server = c.server;
  if (server.isReplica()) {
    server.replicaLink.roleReply(c);
    return;
  }
  const w = c.reply;
  const replicas = server.replication.primary.onlineReplicas();
  w.array(3);
  w.bulkText('master');
  w.int(server.replication.offset);
  w.array(replicas.length);
  for (const r of replicas) {
    w.array(3);
    w.bulkText(r.ip);
    w.bulkText(String(r.port));
    w.bulkText(String(r.ackOffset));
  }
}

export const replicaCommands: CommandDef[] = [
  { name: 'replicaof', handler: replicaof },
  { name: 'slaveof', handler: replicaof },
  { name: 'role', handler: role },
];

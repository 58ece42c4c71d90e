/**
 * WAIT numreplicas timeout: clients blocked until enough replicas have
 * acknowledged the stream up to the client's last write.
 *
 * A client's "last write offset" is the stream offset after its last
 * command (client.woff, set by call()). WAIT first counts the replicas
 * whose acknowledged offset reaches it; when there are enough (or WAIT
 * runs inside a transaction) it replies at once. Otherwise the client
 * blocks (through the blocking registry, keyless: it reads nothing more
 * meanwhile, counts in blocked_clients, and CLIENT UNBLOCK works) until
 * an ACK makes the count enough, or the timeout (0 = forever) ends the
 * wait; either way the reply is the count at that moment. While a client
 * waits, the master asks its replicas for an ACK (REPLCONF GETACK, fed
 * into the stream once per event-loop turn) so the wait ends quickly.
 */
import type { Client } from '../../server/client.js';
import { Serve, type BlockedState, type BlockingRegistry } from '../../blocking/registry.js';

interface Waiting {
  client: Client;
  state: BlockedState;
  offset: number;
  needed: number;
}

export class ReplicaWaits {
  private list: Waiting[] = [];

  constructor(
    private readonly blocking: BlockingRegistry,
    /** Replicas online whose acknowledged offset is ≥ offset. */
    private readonly countAcked: (offset: number) => number,
    /** Asks the replicas for an ACK soon. */
    private readonly requestAcks: () => void,
  ) {}

  /** WAIT after its arguments were checked: replies now or blocks c. */
  wait(c: Client, needed: number, timeoutMs: number): void {
    const offset = c.woff;
    const acked = this.countAcked(offset);
    if (acked >= needed || c.multi.executing) {
      c.reply.int(acked);
      return;
    }
    this.blocking.block(c, c.db, [], timeoutMs, {
      serve: () => Serve.Skip,
      replyTimeout: () => {
        c.reply.int(this.countAcked(offset));
        c.scheduleFlush();
      },
    });
    this.list.push({ client: c, state: c.blocked!, offset, needed });
    this.requestAcks();
  }

  /** After ACKs: releases every waiting client whose count is reached; forgets ended waits. */
  check(): void {
    if (this.list.length === 0) return;
    this.list = this.list.filter((w) => {
      if (w.client.blocked !== w.state) return false;
      if (this.countAcked(w.offset) < w.needed) return true;
      this.blocking.unblockByRequest(w.client, false);
      return false;
    });
  }
}

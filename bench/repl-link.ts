/**
 * Replicas for the replication rows, and what the rows read from INFO.
 *
 * A Replica is a server of the master's kind (BenchServer.startPeer) with
 * a control connection. follow() sends REPLICAOF towards the master;
 * waitSynced() polls the replica's INFO replication until the link is up
 * and no sync is in progress — the replica's own account of having the
 * master's dataset and following its stream. Every wait has a deadline, so
 * a server that never gets there fails the measurement instead of hanging
 * the benchmark.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchServer } from './servers.js';
import { RespClient } from './resp-client.js';
import { infoField } from './scenarios/persistence.js';

/** The integer value of field in INFO section of c's server; throws when it is missing. */
export async function infoNumber(c: RespClient, section: string, field: string): Promise<number> {
  const value = infoField(String(await c.call(['INFO', section])), field);
  if (value === null) throw new Error(`INFO ${section} has no ${field}`);
  return Number(value);
}

/** An INFO reading: the value, stamped with the midpoint of the request and its reply (performance.now() ms). */
export interface Reading {
  at: number;
  value: number;
}

/** Reads field of INFO section once, with the moment the server most likely read it. */
export async function readInfo(c: RespClient, section: string, field: string): Promise<Reading> {
  const sent = performance.now();
  const value = await infoNumber(c, section, field);
  return { at: (sent + performance.now()) / 2, value };
}

/**
 * Reads field of INFO section every pollMs until done(value) holds, and
 * returns that reading; throws after timeoutMs, naming what was awaited.
 */
export async function pollInfo(
  c: RespClient,
  section: string,
  field: string,
  done: (value: number) => boolean,
  o: { pollMs: number; timeoutMs: number; what: string },
): Promise<Reading> {
  const deadline = performance.now() + o.timeoutMs;
  for (;;) {
    const r = await readInfo(c, section, field);
    if (done(r.value)) return r;
    if (performance.now() > deadline) throw new Error(`${o.what}: not done after ${o.timeoutMs / 1000} s (${field}:${r.value})`);
    await sleep(o.pollMs);
  }
}

export class Replica {
  private constructor(
    readonly server: BenchServer,
    private client: RespClient,
  ) {}

  /** Starts an empty server of master's kind and connects to it. */
  static async start(master: BenchServer): Promise<Replica> {
    const server = await master.startPeer();
    try {
      return new Replica(server, await RespClient.connect(server.port, server.host));
    } catch (e) {
      await server.stop();
      throw e;
    }
  }

  /** The control connection. */
  get control(): RespClient {
    return this.client;
  }

  /** Sends REPLICAOF towards master (the sync then proceeds in the background). */
  async follow(master: BenchServer): Promise<void> {
    await this.client.call(['REPLICAOF', master.host, String(master.port)]);
  }

  /**
   * Polls INFO replication every pollMs until master_link_status is up and
   * master_sync_in_progress is 0; returns when (performance.now() ms) the
   * reply saying so arrived. Throws after timeoutMs.
   */
  async waitSynced(pollMs: number, timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const info = String(await this.client.call(['INFO', 'replication']));
      const now = performance.now();
      const link = infoField(info, 'master_link_status');
      if (link === 'up' && infoField(info, 'master_sync_in_progress') === '0') return now;
      if (now > deadline) throw new Error(`replica not in sync after ${timeoutMs / 1000} s (master_link_status:${link})`);
      await sleep(pollMs);
    }
  }

  /** Replaces the server by a fresh, empty one (no replication history) and reconnects. */
  async restart(): Promise<void> {
    this.client.close();
    await this.server.restart();
    this.client = await RespClient.connect(this.server.port, this.server.host);
  }

  /**
   * After the server ended on its own (SHUTDOWN SAVE), starts it again in
   * its working directory, with its dump.rdb and extraArgs, and reconnects.
   */
  async relaunch(extraArgs: readonly string[]): Promise<void> {
    this.client.close();
    await this.server.relaunch(extraArgs);
    this.client = await RespClient.connect(this.server.port, this.server.host);
  }

  /** Closes the connection and stops the server. */
  async stop(): Promise<void> {
    this.client.close();
    await this.server.stop();
  }
}

/**
 * Starts count replicas of master, runs fn with them, and always stops
 * them; fn's result or error passes through.
 */
export async function withReplicas<T>(master: BenchServer, count: number, fn: (replicas: Replica[]) => Promise<T>): Promise<T> {
  const replicas: Replica[] = [];
  try {
    for (let i = 0; i < count; i++) replicas.push(await Replica.start(master));
    return await fn(replicas);
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
  }
}

/**
 * A raw RESP client for tests: sends commands and returns each reply as
 * the exact bytes the server sent (for byte-for-byte comparison) and as a
 * parsed value.
 */
import net from 'node:net';
import assert from 'node:assert/strict';
import { ReplyParser, type RespValue } from '../../src/protocol/reply-parser.js';
import { DEADLINE_MS } from './wait.js';

/** The strings of an array or set reply's items, or of a map's keys and values in order. */
export function strings(v: RespValue): string[] {
  if (v.kind === 'map') return v.entries.flatMap(([k, x]) => [(k as { value: string }).value, (x as { value: string }).value]);
  assert.ok(v.kind === 'array' || v.kind === 'set', `expected an array, set or map, got ${v.kind}`);
  return v.items.map((i) => (i as { value: string }).value);
}

export class RawClient {
  private buffered = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  /** Connects to host:port, from localAddress when given (e.g. 127.0.0.2: loopback traffic from an address Redis does not count as local). */
  static connect(port: number, host = '127.0.0.1', localAddress?: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host, localAddress });
      s.once('connect', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  /** Connects over a Unix domain socket. */
  static connectUnix(path: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ path });
      s.once('connect', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  /** Encodes argv as a RESP multibulk request. */
  static encode(argv: readonly (string | Buffer)[]): Buffer {
    const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
    for (const a of argv) {
      const b = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
      parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
    }
    return Buffer.concat(parts);
  }

  /** Writes raw bytes. */
  write(data: Buffer | string): void {
    this.socket.write(data);
  }

  /** Sends one command and returns its reply's raw bytes and value. */
  async call(...argv: (string | Buffer)[]): Promise<{ raw: Buffer; value: RespValue }> {
    this.write(RawClient.encode(argv));
    return this.read();
  }

  /** Sends a command and returns the parsed value. */
  async value(...argv: (string | Buffer)[]): Promise<RespValue> {
    return (await this.call(...argv)).value;
  }

  /** Sends a command and returns its raw reply bytes as a latin1 string (for exact comparisons). */
  async callText(...argv: (string | Buffer)[]): Promise<string> {
    return (await this.call(...argv)).raw.toString('latin1');
  }

  /** Reads the next reply's raw bytes as a latin1 string. */
  async readText(timeoutMs?: number): Promise<string> {
    return (await this.read(timeoutMs)).raw.toString('latin1');
  }

  /**
   * Reads the next complete reply (raw bytes and parsed value). A RESP3
   * attribute is metadata about the reply that follows it, so it is read
   * with that reply: its bytes are part of raw, value is the reply's.
   * Rejects on close or after timeoutMs (a short one proves that nothing arrives).
   */
  async read(timeoutMs = DEADLINE_MS): Promise<{ raw: Buffer; value: RespValue }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const probe = new ReplyParser();
      probe.feed(this.buffered);
      let v = probe.next();
      while (v?.kind === 'attribute') v = probe.next();
      if (v !== undefined) {
        const used = this.buffered.length - probe.pendingBytes;
        const raw = this.buffered.subarray(0, used);
        this.buffered = this.buffered.subarray(used);
        return { raw: Buffer.from(raw), value: v };
      }
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a reply');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resolves when the server closes the connection (rejects after timeoutMs). */
  async waitClosed(timeoutMs = DEADLINE_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('connection still open');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}

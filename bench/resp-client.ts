/**
 * A minimal RESP client for benchmark scenarios that drive a server
 * themselves (fills, timed SAVEs, a latency-recording write load). It
 * pipelines freely: every call() is written at once and its promise
 * settles with the matching reply, in order. Only the reply types those
 * commands produce are understood: simple strings, errors (the promise
 * rejects), integers and bulk strings (latin1, null for a nil bulk).
 * Independent of nodis's own modules, like the rest of bench/.
 */
import { connect, type Socket } from 'node:net';

export type Reply = string | number | null;

interface Pending {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

const CR = 13;

export class RespClient {
  /** Received bytes not yet parsed into a reply. */
  private input: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  private closedError: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (e) => this.failAll(e));
    socket.on('close', () => this.failAll(new Error('connection closed')));
  }

  /** Opens a connection to host:port. */
  static connect(port: number, host: string): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, host);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(new RespClient(s));
      });
      s.once('error', reject);
    });
  }

  /** Sends argv (latin1 arguments) and resolves with its reply; rejects on an error reply. */
  call(argv: readonly string[]): Promise<Reply> {
    if (this.closedError !== null) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(encodeRequest(argv), 'latin1');
    });
  }

  /** Closes the connection; calls still waiting reject. */
  close(): void {
    this.socket.destroy();
  }

  /** Appends chunk to the input and settles every call whose reply is now complete. */
  private receive(chunk: Buffer): void {
    this.input = this.input.length === 0 ? chunk : Buffer.concat([this.input, chunk]);
    let at = 0;
    for (;;) {
      let parsed;
      try {
        parsed = parseReply(this.input, at);
      } catch (e) {
        this.failAll(e as Error);
        this.socket.destroy();
        return;
      }
      if (parsed === null) break;
      at = parsed.end;
      const p = this.pending.shift();
      if (p === undefined) break;
      if (parsed.error !== null) p.reject(new Error(parsed.error));
      else p.resolve(parsed.value);
    }
    this.input = this.input.subarray(at);
  }

  private failAll(e: Error): void {
    this.closedError ??= e;
    for (const p of this.pending.splice(0)) p.reject(e);
  }
}

/** A RESP multibulk request for argv, as a latin1 string. */
export function encodeRequest(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/**
 * Parses one reply starting at buf[at]: its value (or error text) and the
 * offset just past it, or null when the reply is not complete yet. Throws
 * on a reply type this client does not handle.
 */
export function parseReply(buf: Buffer, at: number): { value: Reply; error: string | null; end: number } | null {
  const lineEnd = buf.indexOf(CR, at);
  if (lineEnd < 0 || lineEnd + 1 >= buf.length) return null;
  const type = String.fromCharCode(buf[at]!);
  const line = buf.toString('latin1', at + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, error: null, end: afterLine };
    case '-':
      return { value: null, error: line, end: afterLine };
    case ':':
      return { value: Number(line), error: null, end: afterLine };
    case '$': {
      const len = Number(line);
      if (len < 0) return { value: null, error: null, end: afterLine };
      if (afterLine + len + 2 > buf.length) return null;
      return { value: buf.toString('latin1', afterLine, afterLine + len), error: null, end: afterLine + len + 2 };
    }
    default:
      throw new Error(`unexpected reply type ${JSON.stringify(type)}`);
  }
}

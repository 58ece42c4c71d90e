/**
 * The replica's second connection in a dual-channel full sync (see
 * primary/dual-channel.ts for the whole exchange): it carries the RDB
 * while the main channel (replica/link.ts) receives and buffers the stream.
 *
 *   Connecting   TCP connect in flight
 *   Handshake    AUTH (masterauth/masteruser) and `REPLCONF capa eof
 *                rdb-only 1 rdb-channel 1 listening-port <port>`
 *                [ip-address], pipelined; their replies are read one by
 *                one (any error ends the channel), then SYNC (alone: a
 *                master refuses SYNC while replies are pending)
 *   WaitCut      newlines while the master waits to start its snapshot,
 *                then `$ENDOFF:<offset> <replid> <db> <client id>`
 *   Rdb          every further byte is the RDB (`$EOF:`/`$<len>` framed),
 *                handed to onRdbData
 *
 * Whatever ends the connection before the owner closes it (an error
 * reply, a malformed $ENDOFF, the socket closing) is reported once by
 * onFailure with the text to log; the owner then abandons the sync.
 */
import { masterConnectOptions } from './connect-options.js';
import net from 'node:net';
import type { Server } from '../../server/server.js';
import { encodeCommand } from '../../protocol/command-encoder.js';
import { LineReader } from './line-reader.js';

/** Where the master cut its snapshot for this sync, from `$ENDOFF`. */
export interface SnapshotPosition {
  /** The replication offset of the cut: the stream continues at offset + 1. */
  offset: number;
  replId: string;
  /** The db the stream starts in. */
  db: number;
  /** This connection's client id on the master (the main channel names it). */
  clientId: number;
}

export interface RdbChannelEvents {
  /** Bytes arrived (the link's repl-timeout clock). */
  onIo(): void;
  onCut(position: SnapshotPosition): void;
  onRdbData(chunk: Buffer): void;
  onFailure(why: string): void;
}

const enum ChannelState {
  Connecting,
  Handshake,
  WaitCut,
  Rdb,
  Closed,
}

/** Parses `$ENDOFF:<offset> <replid> <db> <client id>`, or returns null. */
export function parseEndOffset(line: string): SnapshotPosition | null {
  const m = /^\$ENDOFF:(\d+) ([0-9a-f]{40}) (\d+) (\d+)$/.exec(line);
  if (m === null) return null;
  const [offset, db, clientId] = [Number(m[1]), Number(m[3]), Number(m[4])];
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(clientId)) return null;
  return { offset, replId: m[2]!, db, clientId };
}

export class RdbChannel {
  private state = ChannelState.Connecting;
  private readonly socket: net.Socket;
  /** Handshake replies still expected before the $ENDOFF line. */
  private repliesDue = 0;
  private readonly lines = new LineReader();

  constructor(
    private readonly server: Server,
    host: string,
    port: number,
    private readonly events: RdbChannelEvents,
  ) {
    const socket = net.connect(masterConnectOptions(server.config, host, port));
    this.socket = socket;
    socket.setNoDelay(!server.config.bool('repl-disable-tcp-nodelay'));
    socket.once('connect', () => this.sendHandshake());
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e: Error) => this.fail(`I/O error on the RDB channel: ${e.message}`));
    socket.on('close', () => this.fail('The RDB channel was closed by the master before the RDB was complete'));
  }

  /** Closes the channel without reporting a failure (the RDB is in, or the sync was abandoned). */
  close(): void {
    this.state = ChannelState.Closed;
    this.socket.destroy();
  }

  private sendHandshake(): void {
    if (this.state === ChannelState.Closed) return;
    const config = this.server.config;
    const pass = config.str('masterauth');
    const user = config.str('masteruser');
    let out = '';
    if (pass !== '') out += encodeCommand(user !== '' ? ['AUTH', user, pass] : ['AUTH', pass]);
    const port = String(config.num('replica-announce-port') || this.server.port);
    const replconf = ['REPLCONF', 'capa', 'eof', 'rdb-only', '1', 'rdb-channel', '1', 'listening-port', port];
    const ip = config.str('replica-announce-ip');
    if (ip !== '') replconf.push('ip-address', ip);
    out += encodeCommand(replconf);
    this.repliesDue = pass !== '' ? 2 : 1;
    this.state = ChannelState.Handshake;
    this.socket.write(out, 'latin1');
  }

  private onData(chunk: Buffer): void {
    if (this.state === ChannelState.Closed) return;
    this.events.onIo();
    if (this.state === ChannelState.Rdb) return this.events.onRdbData(chunk);
    const beforeRdb = () => this.state === ChannelState.Handshake || this.state === ChannelState.WaitCut;
    const rest = this.lines.feed(chunk, beforeRdb, (line) => this.onLine(line));
    // onLine moved the state on (TypeScript keeps the narrowing from the check above).
    if ((this.state as ChannelState) === ChannelState.Rdb && rest.length > 0) this.events.onRdbData(rest);
  }

  /** One line before the RDB: a handshake reply, a keepalive newline, or `$ENDOFF`. */
  private onLine(line: string): void {
    if (this.state === ChannelState.Handshake) {
      if (line[0] === '-') return this.fail(`The master refused the RDB channel's handshake: ${line}`);
      if (--this.repliesDue > 0) return;
      this.state = ChannelState.WaitCut;
      this.socket.write(encodeCommand(['SYNC']), 'latin1');
      return;
    }
    if (line === '') return; // the master keeps the link alive until its snapshot starts
    const position = parseEndOffset(line);
    if (position === null) return this.fail(`Unexpected reply to SYNC on the RDB channel: ${line.slice(0, 128)}`);
    this.state = ChannelState.Rdb;
    this.events.onCut(position);
  }

  /** Reports the first failure, once. */
  private fail(why: string): void {
    if (this.state === ChannelState.Closed) return;
    this.close();
    this.events.onFailure(why);
  }
}

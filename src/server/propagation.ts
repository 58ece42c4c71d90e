/**
 * The effects stream: where every change to the dataset is recorded, as the
 * deterministic commands that reproduce it, for the replication backlog and
 * replicas (and anything else that follows writes).
 *
 * During a command, record() collects its effects; commit() (at the end of
 * the command, by call()) encodes them as RESP multibulk, prefixed by SELECT
 * when the database differs from the stream's current one, and wrapped in
 * MULTI/EXEC when one command produced several effects (except for the
 * DELs of expiry and eviction that Redis sends unwrapped, see commit()). With no sink
 * attached nothing is collected, so a server without replicas pays nothing.
 */
import { encodeCommand } from '../protocol/command-encoder.js';

export type EffectSink = (bytes: Buffer) => void;

export class Propagation {
  private readonly sinks: EffectSink[] = [];
  private pendingDb: number[] = [];
  private pendingArgv: string[][] = [];
  /** The db the stream last SELECTed; -1 forces a SELECT before the next effect. */
  private streamDb = -1;

  /** Attaches a consumer of the encoded stream. */
  addSink(sink: EffectSink): void {
    this.sinks.push(sink);
  }

  removeSink(sink: EffectSink): void {
    const i = this.sinks.indexOf(sink);
    if (i !== -1) this.sinks.splice(i, 1);
    if (this.sinks.length === 0) this.streamDb = -1;
  }

  /** Whether anyone consumes effects (callers may skip building rewritten argv). */
  get active(): boolean {
    return this.sinks.length > 0;
  }

  /** The db the stream last SELECTed, -1 when the next effect SELECTs anyway (RDB's repl-stream-db). */
  get selectedDb(): number {
    return this.streamDb;
  }

  /** Forces the next effect to be preceded by SELECT (a new replica joined). */
  resetSelectedDb(): void {
    this.streamDb = -1;
  }

  /** Records one effect of the running command: argv applied to db. */
  record(db: number, argv: readonly string[]): void {
    if (this.sinks.length === 0) return;
    this.pendingDb.push(db);
    this.pendingArgv.push(argv.slice());
  }

  /**
   * Emits the effects recorded since the last commit: as one unit (wrapped
   * in MULTI/EXEC when there are several), or, with atomic false, as
   * separate commands, as Redis sends the DELs of its active expiry cycle,
   * of evictions and of keys SCAN or RANDOMKEY found expired.
   */
  commit(atomic = true): void {
    const n = this.pendingArgv.length;
    if (n === 0) return;
    let out = '';
    const wrap = atomic && n > 1;
    for (let i = 0; i < n; i++) {
      const db = this.pendingDb[i]!;
      if (db !== this.streamDb) {
        out += encodeCommand(['SELECT', String(db)]);
        this.streamDb = db;
      }
      if (wrap && i === 0) out += encodeCommand(['MULTI']);
      out += encodeCommand(this.pendingArgv[i]!);
    }
    if (wrap) out += encodeCommand(['EXEC']);
    this.pendingDb = [];
    this.pendingArgv = [];
    const bytes = Buffer.from(out, 'latin1');
    for (const sink of this.sinks) sink(bytes);
  }
}

/**
 * RDB persistence of a server: SAVE, BGSAVE, save points, loading at
 * start-up, and what INFO persistence reports.
 *
 * A save is a Snapshot (rdb/snapshot.ts) written to `dir/dbfilename`
 * through an AtomicFile (temp file, fsync, rename):
 * - save() (SAVE, SHUTDOWN, FLUSHALL, DEBUG RELOAD) serializes everything
 *   in one go, blocking like Redis's SAVE;
 * - startBackgroundSave() (BGSAVE, save points) takes the cut at once and
 *   serializes in chunks between which clients are served, with
 *   copy-on-write keeping the file equal to the dataset at the cut. At
 *   most one background snapshot runs at a time (like Redis's one child);
 *   replication's full syncs share that slot (claimSnapshot).
 *
 * Success resets the count of changes by those made before the cut and
 * sets LASTSAVE; failure is logged, turns `rdb_last_bgsave_status` to err
 * and, with stop-writes-on-bgsave-error and save points set, makes write
 * commands fail with MISCONF until a save succeeds.
 */
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Server } from '../server/server.js';
import { Snapshot } from './rdb/snapshot.js';
import { AtomicFile } from './rdb/file.js';
import { AccessData } from './rdb/value-writer.js';
import { loadRdb, StagedLoad, type LoadOptions, type LoadResult } from './load.js';
import { isLfuPolicy, isLruPolicy } from '../keyspace/access.js';
import { REDIS_VERSION } from '../version.js';
import { DebugDelay } from '../util/debug-delay.js';

/** Bytes a background snapshot produces at most per event-loop turn. */
const CHUNK_BYTES = 128 * 1024;
/** Time a background snapshot may take per event-loop turn, in ms (clients are served in between). */
const CHUNK_MS = 1;
/** How long a sliced load runs before serving clients, in ms, and how many keys it reads between clock checks. */
const SLICE_MS = 10;
const LOAD_KEYS_PER_CHECK = 256;
/** Seconds before a failed background save is retried by the save points (CONFIG_BGSAVE_RETRY_DELAY). */
const RETRY_DELAY_SECONDS = 5;

export const MISCONF_ERROR =
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

/** Who holds the snapshot slot. */
export type SnapshotUse = 'bgsave' | 'replication';

export class Persistence {
  /** The background snapshot running now and what for, or null. */
  active: { snapshot: Snapshot; use: SnapshotUse } | null = null;
  /** BGSAVE SCHEDULE (or BGSAVE inside MULTI) waiting for the slot. */
  scheduled = false;
  lastBgsaveOk = true;
  /** Unix ms of the last background save attempt. */
  private lastBgsaveTry = 0;
  /** Duration of the last background save in seconds, -1 before any. */
  lastBgsaveSeconds = -1;
  /** Successful saves (INFO rdb_saves). */
  saves = 0;
  /** Copy-on-write bytes of the last background save (INFO rdb_last_cow_size). */
  lastCowBytes = 0;
  /** The load in progress (loadInSlices), or null. */
  loading: { load: StagedLoad; total: number; startedAt: number } | null = null;
  /**
   * A replica's full sync whose RDB Redis would load from the socket as it
   * arrives (repl-diskless-load, see replica/link.ts): nodis receives it whole
   * before loading it, but reports and refuses commands as loading from
   * its first byte, as Redis does. Null otherwise.
   */
  socketLoad: { startedAt: number; totalBytes: () => number; readBytes: () => number } | null = null;
  /** Keys loaded / skipped as expired by the last load. */
  lastLoad = { loaded: 0, expired: 0 };
  /** server.dirty when the running background save took its cut. */
  private dirtyAtCut = 0;
  /** Set to stop the running background save early (SHUTDOWN, FLUSHALL). */
  private abortRequested = false;

  constructor(private readonly server: Server) {
    server.cron.addTask(() => this.cron());
  }

  /** Absolute path of the RDB file (dir + dbfilename). */
  get path(): string {
    return resolve(this.server.config.str('dir'), this.server.config.str('dbfilename'));
  }

  /** True while a background save (not a replication snapshot) runs. */
  get bgsaveInProgress(): boolean {
    return this.active !== null && this.active.use === 'bgsave';
  }

  /**
   * rdb-del-sync-files: when the server persists nothing (no save points;
   * nodis has no AOF), an RDB file written or received only for a full sync
   * is deleted once it served, logging `why` as Redis does.
   */
  removeSyncFile(why: string): void {
    if (!this.server.config.bool('rdb-del-sync-files') || this.savePointsSet) return;
    this.server.logger.notice(why);
    rmSync(this.path, { force: true });
  }

  /**
   * True while any background snapshot runs, a full sync's included: what
   * Redis calls an RDB child (INFO rdb_bgsave_in_progress; SAVE and BGSAVE
   * answer "already in progress").
   */
  get rdbInProgress(): boolean {
    return this.active !== null;
  }

  /** INFO loading, and -LOADING for commands without the loading flag: a load, or a socket load's transfer. */
  get isLoading(): boolean {
    return this.loading !== null || this.socketLoad !== null;
  }

  /** Whether save points are configured (`save` not empty). */
  get savePointsSet(): boolean {
    return this.server.config.str('save') !== '';
  }

  /**
   * A new snapshot of the server's dbs with Redis 7.0's AUX fields. With
   * copyOnWrite false it installs no hooks: only for a snapshot serialized
   * to the end before any command runs.
   */
  snapshot(copyOnWrite: boolean): Snapshot {
    const server = this.server;
    const config = server.config;
    const policy = config.str('maxmemory-policy');
    const access = isLruPolicy(policy) ? AccessData.Idle : isLfuPolicy(policy) ? AccessData.Freq : AccessData.None;
    return new Snapshot(server.dbs, copyOnWrite ? server.dbHooks : null, {
      compress: config.bool('rdbcompression'),
      checksum: config.bool('rdbchecksum'),
      access,
      now: () => Date.now(),
      keySaveDelayUs: copyOnWrite ? () => config.num('rdb-key-save-delay') : () => 0,
      aux: [
        ['redis-ver', REDIS_VERSION],
        ['redis-bits', '64'],
        ['ctime', String(Math.floor(Date.now() / 1000))],
        ['used-mem', String(server.evictor.usedMemory())],
        ...server.replication.historyAux(),
        ['aof-base', '0'],
      ],
    });
  }

  /**
   * SAVE: writes the whole dataset now, blocking. Returns true on success
   * (and then counts as a save: dirty 0, LASTSAVE now); logs the reason
   * and returns false on failure.
   */
  save(): boolean {
    const snap = this.snapshot(false);
    let file: AtomicFile | null = null;
    try {
      file = new AtomicFile(this.path, `temp-${process.pid}.rdb`);
      while (!snap.finished) file.write(snap.step(4 * CHUNK_BYTES));
      file.write(snap.checksum());
      file.commit();
    } catch (e) {
      file?.discard();
      this.server.logger.warning(
        `Failed opening the temp RDB file temp-${process.pid}.rdb (in server root dir ${this.server.config.str('dir')}) for saving: ${(e as Error).message}`,
      );
      return false;
    }
    this.server.logger.notice('DB saved on disk');
    this.server.dirty = 0;
    this.server.lastSave = Date.now();
    this.lastBgsaveOk = true;
    this.saves++;
    return true;
  }

  /**
   * Claims the snapshot slot for `use` with a copy-on-write snapshot, or
   * returns null when it is taken.
   */
  claimSnapshot(use: SnapshotUse): Snapshot | null {
    if (this.active !== null) return null;
    const snapshot = this.snapshot(true);
    this.active = { snapshot, use };
    this.dirtyAtCut = this.server.dirty;
    return snapshot;
  }

  /** Frees the slot claimed for snapshot (and runs a scheduled BGSAVE soon). */
  releaseSnapshot(snapshot: Snapshot): void {
    if (this.active?.snapshot !== snapshot) return;
    snapshot.abort();
    this.active = null;
  }

  /**
   * BGSAVE: takes the cut now and writes the file in the background.
   * Returns false when the slot is taken. Like a forked child that cannot
   * create its file, a save whose temp file cannot be created still
   * "starts" and fails on the next turn.
   */
  startBackgroundSave(): boolean {
    if (this.active !== null) return false;
    this.lastBgsaveTry = Date.now();
    const snapshot = this.claimSnapshot('bgsave')!;
    this.abortRequested = false;
    this.server.logger.notice(`Background saving started by pid ${process.pid}`);
    void this.writeInBackground(snapshot);
    return true;
  }

  /** The chunked loop of a background save, yielding between chunks. */
  private async writeInBackground(snapshot: Snapshot): Promise<void> {
    let ok = false;
    let file: AtomicFile | null = null;
    try {
      await new Promise<void>((r) => setImmediate(r));
      const temp = `temp-${process.pid}-${snapshot.id}.rdb`;
      try {
        file = new AtomicFile(this.path, temp);
      } catch (e) {
        throw new Error(
          `Failed opening the temp RDB file ${temp} (in server root dir ${this.server.config.str('dir')}) for saving: ${(e as Error).message}`,
        );
      }
      for (;;) {
        if (this.abortRequested) throw new Error('aborted');
        file.write(snapshot.step(CHUNK_BYTES, performance.now() + CHUNK_MS));
        if (snapshot.finished) break;
        await snapshot.pause();
      }
      file.write(snapshot.checksum());
      file.commit();
      ok = true;
    } catch (e) {
      file?.discard();
      if (!this.abortRequested) this.server.logger.warning(`Error saving DB on disk: ${(e as Error).message}`);
    }
    this.releaseSnapshot(snapshot);
    if (this.abortRequested) {
      this.abortRequested = false;
      this.server.logger.warning('Background saving terminated by signal 10');
      return;
    }
    this.finishBackgroundSave(ok, snapshot);
  }

  /**
   * Records the outcome of a background save — a BGSAVE's, or a disk-based
   * full sync's, which wrote the same file — like Redis's
   * backgroundSaveDoneHandler: call it after releasing the snapshot.
   */
  finishBackgroundSave(ok: boolean, snapshot: Snapshot): void {
    this.lastBgsaveSeconds = Math.round((Date.now() - snapshot.startedAt) / 1000);
    this.lastCowBytes = snapshot.cowBytes;
    if (ok) {
      this.server.logger.notice('Background saving terminated with success');
      this.server.dirty -= this.dirtyAtCut;
      this.server.lastSave = snapshot.startedAt;
      this.lastBgsaveOk = true;
      this.saves++;
    } else {
      this.server.logger.warning('Background saving error');
      this.lastBgsaveOk = false;
    }
  }

  /** Stops a running background save (its temp file is removed); the slot frees on its next turn. */
  abortBackgroundSave(): void {
    if (!this.bgsaveInProgress) return;
    this.server.logger.warning('There is a child saving an .rdb. Killing it!');
    this.abortRequested = true;
    this.releaseSnapshot(this.active!.snapshot);
  }

  /**
   * After FLUSHALL, as Redis does: a background save in progress is
   * stopped, and with save points set the (now empty) dataset is saved at
   * once (which resets the count of changes).
   */
  flushedAll(): void {
    this.abortBackgroundSave();
    if (this.savePointsSet) this.save();
  }

  /** The MISCONF error when writes must be refused after a failed save, else null. */
  writeRefusal(): string | null {
    if (this.lastBgsaveOk || !this.savePointsSet || !this.server.config.bool('stop-writes-on-bgsave-error')) return null;
    return MISCONF_ERROR;
  }

  /** Cron: a scheduled BGSAVE, then the save points. */
  private cron(): void {
    if (this.active !== null) return;
    if (this.scheduled) {
      this.scheduled = false;
      this.startBackgroundSave();
      return;
    }
    const points = this.server.config.str('save');
    if (points === '' || this.server.dirty === 0) return;
    const now = Date.now();
    const elapsed = Math.floor((now - this.server.lastSave) / 1000);
    const canRetry = this.lastBgsaveOk || now - this.lastBgsaveTry > RETRY_DELAY_SECONDS * 1000;
    if (!canRetry) return;
    const words = points.split(' ');
    for (let i = 0; i < words.length; i += 2) {
      const seconds = Number(words[i]);
      const changes = Number(words[i + 1]);
      if (this.server.dirty >= changes && elapsed > seconds) {
        this.server.logger.notice(`${changes} changes in ${seconds} seconds. Saving...`);
        this.startBackgroundSave();
        return;
      }
    }
  }

  /**
   * The RDB file's bytes for a start-up load, or null when there is no
   * file. Throws on other read errors.
   */
  readDumpFile(): Buffer | null {
    try {
      return readFileSync(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /**
   * Loads dir/dbfilename into the (empty) dbs at once, logging like Redis
   * (embedded servers, before they listen). Returns null when there is no
   * file; throws the RdbError of a malformed one (nothing is loaded then).
   */
  loadAtStartup(): LoadResult | null {
    const buf = this.readDumpFile();
    return buf === null ? null : this.loadBuffer(buf);
  }

  /** Loads an RDB held in buf at once (see load.ts, whose options it takes), logging like Redis. */
  loadBuffer(buf: Buffer, opts: LoadOptions = {}): LoadResult {
    const started = performance.now();
    const result = loadRdb(this.server, buf, opts);
    this.logOrigin(result.aux);
    this.loaded(result, started, opts);
    return result;
  }

  /**
   * Loads an RDB held in buf in slices of about SLICE_MS, serving clients
   * between them (and waiting out key-load-delay, see util/debug-delay.ts,
   * between them too): while it runs `loading` is set, INFO reports progress
   * and commands without the `loading` flag are refused with -LOADING (as
   * Redis does while it loads). Resolves with the result, or null when
   * `cancelled()` became true (nothing is applied then). Rejects with the
   * RdbError of a malformed file (nothing is applied).
   */
  async loadInSlices(buf: Buffer, opts: LoadOptions = {}, cancelled: () => boolean = () => false): Promise<LoadResult | null> {
    const started = performance.now();
    const load = new StagedLoad(this.server, buf, opts);
    const delay = new DebugDelay(() => this.server.config.num('key-load-delay'));
    this.loading = { load, total: buf.length, startedAt: Date.now() };
    try {
      for (let first = true; ; first = false) {
        const until = performance.now() + SLICE_MS;
        let done = false;
        while (!done && !delay.due && performance.now() < until) {
          if (!delay.active) done = load.step(LOAD_KEYS_PER_CHECK);
          else {
            done = load.step(1);
            delay.key();
          }
        }
        // The AUX fields open the file: say where it comes from as soon as they are read, like Redis.
        if (first) this.logOrigin(load.auxFields);
        if (done) break;
        await delay.wait();
        if (cancelled()) return null;
      }
      const result = load.finish();
      this.loaded(result, started, opts);
      return result;
    } finally {
      this.loading = null;
    }
  }

  /** Logs where an RDB comes from (its AUX fields), like Redis when it starts loading one. */
  private logOrigin(aux: ReadonlyMap<string, string>): void {
    const log = this.server.logger;
    const ver = aux.get('redis-ver');
    if (ver !== undefined) log.notice(`Loading RDB produced by version ${ver}`);
    const ctime = Number(aux.get('ctime'));
    if (Number.isFinite(ctime) && ctime > 0) log.notice(`RDB age ${Math.max(0, Math.floor(Date.now() / 1000) - ctime)} seconds`);
    const mem = Number(aux.get('used-mem'));
    if (Number.isFinite(mem) && mem > 0) log.notice(`RDB memory usage when created ${(mem / 1024 / 1024).toFixed(2)} Mb`);
  }

  /** Logs a finished load like Redis and records its counts for INFO. */
  private loaded(result: LoadResult, started: number, opts: LoadOptions): void {
    const log = this.server.logger;
    const skipped = result.empty > 0 ? `, empty keys skipped: ${result.empty}` : '';
    log.notice(`Done loading RDB, keys loaded: ${result.loaded}, keys expired: ${result.expired}${skipped}.`);
    if (!opts.replace) log.notice(`DB loaded from disk: ${((performance.now() - started) / 1000).toFixed(3)} seconds`);
    this.lastLoad = { loaded: result.loaded, expired: result.expired };
  }

  /** INFO persistence's progress fields while loading (after the AOF ones, as Redis prints them). */
  loadingInfo(): string[] {
    const l = this.loading;
    if (l === null) return this.socketLoad === null ? [] : this.socketLoadInfo(this.socketLoad);
    const done = l.load.position;
    const elapsed = (Date.now() - l.startedAt) / 1000;
    const eta = done === 0 ? 1 : Math.round((elapsed * (l.total - done)) / done);
    return [
      `loading_start_time:${Math.floor(l.startedAt / 1000)}`,
      `loading_total_bytes:${l.total}`,
      `loading_rdb_used_mem:${Number(l.load.auxFields.get('used-mem') ?? 0) || 0}`,
      `loading_loaded_bytes:${done}`,
      `loading_loaded_perc:${((done / l.total) * 100).toFixed(2)}`,
      `loading_eta_seconds:${eta}`,
    ];
  }

  /** loadingInfo() while a socket load's RDB arrives (a total of 0 when the master did not announce it). */
  private socketLoadInfo(l: NonNullable<Persistence['socketLoad']>): string[] {
    const total = Math.max(l.totalBytes(), 0);
    const done = l.readBytes();
    return [
      `loading_start_time:${Math.floor(l.startedAt / 1000)}`,
      `loading_total_bytes:${total}`,
      'loading_rdb_used_mem:0',
      `loading_loaded_bytes:${done}`,
      `loading_loaded_perc:${total > 0 ? ((done / total) * 100).toFixed(2) : '0.00'}`,
      'loading_eta_seconds:1',
    ];
  }

  /** INFO persistence's RDB fields, in Redis 7.0's order (after loading/async_loading). */
  infoFields(): string[] {
    const a = this.active;
    const snap = a?.snapshot;
    const now = Date.now();
    return [
      `current_cow_peak:${snap?.cowBytes ?? 0}`,
      `current_cow_size:${snap?.cowBytes ?? 0}`,
      'current_cow_size_age:0',
      `current_fork_perc:${snap !== undefined && snap.keysTotal > 0 ? ((snap.keysWritten / snap.keysTotal) * 100).toFixed(2) : '0.00'}`,
      `current_save_keys_processed:${snap?.keysWritten ?? 0}`,
      `current_save_keys_total:${snap?.keysTotal ?? 0}`,
      `rdb_changes_since_last_save:${this.server.dirty}`,
      `rdb_bgsave_in_progress:${this.rdbInProgress ? 1 : 0}`,
      `rdb_last_save_time:${Math.floor(this.server.lastSave / 1000)}`,
      `rdb_last_bgsave_status:${this.lastBgsaveOk ? 'ok' : 'err'}`,
      `rdb_last_bgsave_time_sec:${this.lastBgsaveSeconds}`,
      `rdb_current_bgsave_time_sec:${snap !== undefined ? Math.floor((now - snap.startedAt) / 1000) : -1}`,
      `rdb_saves:${this.saves}`,
      `rdb_last_cow_size:${this.lastCowBytes}`,
      `rdb_last_load_keys_expired:${this.lastLoad.expired}`,
      `rdb_last_load_keys_loaded:${this.lastLoad.loaded}`,
    ];
  }
}

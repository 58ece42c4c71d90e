/**
 * Writing an RDB file so a crash never leaves a torn one: bytes go to a
 * temporary file in the target's directory, which is fsynced, closed and
 * renamed over the target (an atomic replace), after which the directory
 * is fsynced so the rename itself is durable. discard() removes the
 * temporary file of a save that failed or was aborted.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

export class AtomicFile {
  private fd: number;
  readonly tempPath: string;

  constructor(
    readonly path: string,
    tempName: string,
  ) {
    this.tempPath = join(dirname(path), tempName);
    this.fd = openSync(this.tempPath, 'w', 0o644);
  }

  /** Appends chunk (synchronously: the page cache absorbs it). */
  write(chunk: Uint8Array): void {
    let off = 0;
    while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off);
  }

  /** Makes the written bytes durable and atomically replaces the target with them. */
  commit(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
    renameSync(this.tempPath, this.path);
    syncDirectory(dirname(this.path));
  }

  /** Closes and removes the temporary file (after a failure); never throws. */
  discard(): void {
    try {
      if (this.fd !== -1) closeSync(this.fd);
    } catch {
      // already closed
    }
    this.fd = -1;
    try {
      unlinkSync(this.tempPath);
    } catch {
      // never created or already gone
    }
  }
}

/** fsyncs a directory (so a rename in it survives a crash); ignores platforms that refuse. */
function syncDirectory(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // some filesystems cannot fsync a directory
  } finally {
    if (fd !== -1) closeSync(fd);
  }
}

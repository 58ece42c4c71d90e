/** A temporary directory that lives as long as the describe block that asks for it. */
import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Registers before/after hooks in the calling describe block that create a
 * fresh directory under the OS temp dir (named prefix + random suffix) and
 * remove it with its contents; the returned function gives its path once the
 * before hook has run.
 */
export function tempDirFor(prefix: string): () => string {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}

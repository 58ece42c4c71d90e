/** Unit tests of the process-tree memory readings (Linux /proc). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { childPids, PeakSampler, processPssBytes, treePssBytes } from './memory.js';

test('a running process has a PSS; a missing one reads as 0', () => {
  assert.ok(processPssBytes(process.pid) > 0);
  assert.equal(processPssBytes(0x7ffffff0), 0);
  assert.deepEqual(childPids(0x7ffffff0), []);
});

test('the tree of this process counts a spawned child and the memory it touched', async () => {
  const child = spawn(
    process.execPath,
    ['-e', "globalThis.b = Buffer.alloc(64 << 20, 1); console.log('ready'); setTimeout(() => {}, 60000)"],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  await once(child.stdout!, 'data');
  try {
    assert.ok(childPids(process.pid).includes(child.pid!));
    assert.ok(processPssBytes(child.pid!) >= 64 << 20);
    assert.ok(treePssBytes(process.pid) - processPssBytes(process.pid) >= 64 << 20);
  } finally {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
});

test('PeakSampler reports at least the memory of the process when it started', async () => {
  const sampler = await PeakSampler.start(process.pid, 5);
  const peak = await sampler.stop();
  assert.ok(peak > 0);
});

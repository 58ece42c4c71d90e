/**
 * The option table against the code and the documentation: every option
 * said to act is acted on (read through config.num/bool/str somewhere in
 * src/, or given an apply step), and docs/config.md's list of options
 * accepted without effect is exactly the table's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPTIONS, type OptionSpec } from './options.js';

// Compiled to dist/src/config/: the repository is three levels up.
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The text of every non-test TypeScript file under dir, except the option table itself. */
function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !p.endsWith(join('config', 'options.ts'))) {
      out.push(readFileSync(p, 'utf8'));
    }
  }
  return out;
}

/** Whether an option acts: it has an apply step, refuses values nodis lacks, or is read by name. */
function isActedOn(o: OptionSpec, code: string): boolean {
  if (o.apply !== null || o.unsupported !== null) return true;
  return code.includes(`'${o.name}'`);
}

test('every option documented as effective is read or applied by the code', () => {
  const code = sources(join(repo, 'src')).join('\n');
  const idle = OPTIONS.filter((o) => !o.noEffect && !isActedOn(o, code)).map((o) => o.name);
  assert.deepEqual(idle, [], 'options neither read nor applied: implement them or mark them noEffect (and document it)');
});

test('docs/config.md lists exactly the options accepted without effect', () => {
  const doc = readFileSync(join(repo, 'docs', 'config.md'), 'utf8');
  const section = /### Accepted, no effect\n([\s\S]*?)\n### /.exec(doc)?.[1];
  assert.ok(section !== undefined, 'docs/config.md has an "Accepted, no effect" section');
  const listed = [...section.matchAll(/`([a-z_*-]+)`/g)].map((m) => m[1]!);
  const documented = new Set<string>();
  for (const entry of listed) {
    if (!entry.endsWith('*')) documented.add(entry);
    else for (const o of OPTIONS) if (o.name.startsWith(entry.slice(0, -1)) && o.noEffect) documented.add(o.name);
  }
  const visible = (o: OptionSpec) => !o.hidden;
  const noEffect = OPTIONS.filter((o) => o.noEffect && visible(o))
    .map((o) => o.name)
    .sort();
  assert.deepEqual([...documented].sort(), noEffect);
});

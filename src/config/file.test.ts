import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argvLines, ConfigFileError, loadConfigFromArgs } from './file.js';

/** Loads args and returns the config, or the error message. */
function load(args: string[]) {
  return loadConfigFromArgs(args, '7.0.15').config;
}

function failure(args: string[]): string {
  try {
    load(args);
  } catch (e) {
    assert.ok(e instanceof ConfigFileError);
    return e.message;
  }
  assert.fail('expected a failure');
}

describe('config file and argv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nodis-cfg-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  test('argv becomes quoted lines, each on a new line', () => {
    assert.equal(argvLines(['--port', '0', '--foo', 'a b', 'c"d', '']), '\nport "0"\nfoo "a b" "c\\"d" ""');
    assert.equal(argvLines(['--save', '--hz', '5']), '\nsave ""\nhz "5"');
  });

  test('the FATAL report names the line like redis-server', () => {
    assert.equal(
      failure(['--port', '0', '--foo', 'bar']),
      '\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 3\n>>> \'foo "bar"\'\nBad directive or wrong number of arguments',
    );
    const f = file('a.conf', 'port 0\nhz 5\n');
    assert.match(failure([f, '--hz', 'x']), /at line 4\n>>> 'hz "x"'\nargument couldn't be parsed into an integer$/);
    assert.match(
      failure([file('b.conf', 'port 0\n# c\n  hz   "5 \n')]),
      /at line 3\n>>> 'hz {3}"5'\nUnbalanced quotes in configuration line$/,
    );
    assert.match(failure([file('c.conf', 'slaveof a\n')]), /wrong number of arguments$/);
    assert.match(failure([file('d.conf', 'loadmodule /x.so\n')]), /nodis cannot load Redis modules/);
    assert.equal(failure(['/nonexistent.conf']), "Fatal error, can't open config file '/nonexistent.conf': No such file or directory");
  });

  test('save lines add up in a file; argv replaces; the last value wins', () => {
    const f = file('s.conf', 'save 60 1\nsave 30 5\nhz 11\nhz 12\nlist-max-ziplist-entries 5\n');
    assert.equal(load([f]).get('save'), '60 1 30 5');
    assert.equal(load([f]).get('hz'), '12');
    assert.equal(load([f, '--save', '10', '10', '--save', '20', '20']).get('save'), '20 20');
    assert.equal(load(['--save', '']).get('save'), '');
  });

  test('include reads another file in place', () => {
    const inc = file('inc.conf', 'timeout 5\nhz 30\n');
    const f = file('main.conf', `hz 20\ninclude ${inc}\n`);
    const config = load([f]);
    assert.equal(config.get('timeout'), '5');
    assert.equal(config.get('hz'), '30');
  });

  test('user default lines as CONFIG REWRITE writes them', () => {
    const hash = '2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b'; // sha256("secret")
    assert.equal(load([file('u1.conf', `requirepass secret\nuser default on #${hash} ~* &* +@all\n`)]).get('requirepass'), 'secret');
    assert.match(failure([file('u2.conf', `user default on #${hash} ~* &* +@all\n`)]), /password hash/);
    assert.match(failure([file('u3.conf', 'user alice on >x ~* +@all\n')]), /no ACL users other than the default/);
  });

  test.after(() => rmSync(dir, { recursive: true, force: true }));
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Config, ConfigSetFailure, findOption, parseOption, wordsOfValue } from './config.js';
import { ConfigError } from './errors.js';
import { memoryWithUnit, parseMemory, parseStrictInt } from './values.js';
import { APPLY_HOOKS, type ApplyHook } from './options.js';

/** The reason parseOption gives for name's CONFIG SET value, or the new text. */
function setText(name: string, value: string, current?: string): string {
  const o = findOption(name)!;
  const config = new Config();
  try {
    return parseOption(o, wordsOfValue(o, value), current ?? config.get(name)!);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return `! ${e.message}`;
  }
}

/** Checks setText(name, value) against the expected text (or `! reason`) of each [name, value, expected]. */
function assertSetText(cases: readonly (readonly [string, string, string])[]): void {
  for (const [name, value, want] of cases) assert.equal(setText(name, value), want, `${name} ${JSON.stringify(value)}`);
}

describe('config values', () => {
  test('integers follow string2ll and bounds', () => {
    assert.equal(parseStrictInt('010'), null);
    assert.equal(parseStrictInt('+5'), null);
    assert.equal(parseStrictInt('-0'), null);
    assert.equal(parseStrictInt('9223372036854775808'), null);
    assertSetText([
      ['hz', '5.0', "! argument couldn't be parsed into an integer"],
      ['maxclients', '-1', '! argument must be between 1 and 4294967295 inclusive'],
      ['slowlog-log-slower-than', '-2', '! argument must be between -1 and 9223372036854775807 inclusive'],
      ['hz', '600', '500'],
      ['hz', '0', '1'],
    ]);
  });

  test('memory sizes take units and print as bytes', () => {
    assert.equal(parseMemory('1gb'), 1073741824n);
    assert.equal(parseMemory('1G'), 1000000000n);
    assert.equal(parseMemory('1.5mb'), null);
    // Like Redis's memtoull, no digits at all reads as 0 (CONFIG SET maxmemory "" is accepted).
    assert.equal(parseMemory(''), 0n);
    assert.equal(parseMemory('kb'), 0n);
    assert.equal(parseMemory('-1'), null);
    assert.equal(memoryWithUnit(2048n), '2kb');
    assert.equal(memoryWithUnit(3000000n), '3000000');
    assertSetText([
      ['maxmemory', '05', '5'],
      ['maxmemory', '-1', '! argument must be a memory value'],
      ['proto-max-bulk-len', '3', '! argument must be between 1048576 and 9223372036854775807 inclusive'],
      ['maxmemory-clients', '10%', '10%'],
      ['maxmemory-clients', '0%', '0'],
      ['maxmemory-clients', '101%', '! percentage argument must be less or equal to 100'],
    ]);
  });

  test('bools, enums, flags and octal', () => {
    assertSetText([
      ['activerehashing', 'YES', 'yes'],
      ['activerehashing', '1', "! argument must be 'yes' or 'no'"],
      ['loglevel', 'NOTICE', 'notice'],
      ['loglevel', 'nothing', '! argument(s) must be one of the following: debug, verbose, notice, warning'],
      ['shutdown-on-sigint', 'now save', 'save now'],
      ['shutdown-on-sigint', 'default save', 'save'],
      ['shutdown-on-sigint', 'save nosave', "! shutdown options SAVE and NOSAVE can't be used simultaneously"],
    ]);
    const o = findOption('unixsocketperm')!;
    assert.equal(parseOption(o, ['700'], '0'), '700');
    assert.throws(() => parseOption(o, ['999'], '0'), /octal/);
  });

  test('special options normalise like Redis', () => {
    assertSetText([
      ['notify-keyspace-events', 'KEA', 'AKE'],
      ['notify-keyspace-events', 'KEmn', 'nKEm'],
      ['notify-keyspace-events', '$lshzxetmdn', '$lshzxetdnm'],
      ['notify-keyspace-events', 'q', "! Invalid event class character. Use 'Ag$lshzxeKEtmdn'."],
      ['save', '100 10 20 5', '100 10 20 5'],
      ['save', '', ''],
      ['save', '0 1', '! Invalid save parameters'],
      ['save', '  60  1', '! Invalid save parameters'],
      ['client-output-buffer-limit', 'normal 1mb 2mb 3', 'normal 1048576 2097152 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60'],
      ['client-output-buffer-limit', 'replica 1 2 3', 'normal 0 0 0 slave 1 2 3 pubsub 33554432 8388608 60'],
      ['client-output-buffer-limit', 'foo 1 2 3', '! Invalid client class specified in buffer limit configuration.'],
      ['oom-score-adj-values', '1 2', '! wrong number of arguments'],
      ['latency-tracking-info-percentiles', '1.5 99.99999 100', '1.5 99.99999 100'],
      ['latency-tracking-info-percentiles', 'abc', '! Invalid latency-tracking-info-percentiles parameters'],
      ['dir', '/nonexistent-nodis-dir', '! No such file or directory'],
      ['appendonly', 'yes', '! nodis has no AOF persistence (appendonly yes)'],
    ]);
  });
});

describe('Config', () => {
  test('aliases read and write the same option', () => {
    const config = new Config();
    config.set('slave-priority', ['5']);
    assert.equal(config.get('replica-priority'), '5');
    assert.equal(config.num('replica-priority'), 5);
  });

  test('match: exact names echo as given, globs match names and aliases once', () => {
    const config = new Config();
    assert.deepEqual(config.match(['HZ']), [['HZ', '10']]);
    assert.deepEqual(config.match(['hz', 'HZ']), [['hz', '10']]);
    assert.deepEqual(config.match(['rdb-key-save-delay']), [['rdb-key-save-delay', '0']]);
    assert.deepEqual(config.match(['*key-save*']), []);
    assert.deepEqual(
      config
        .match(['*priority*'])
        .map(([n]) => n)
        .sort(),
      ['replica-priority', 'slave-priority'],
    );
    assert.equal(config.match(['*']).length, 192);
  });

  test('setAll rolls every option back when an apply step refuses', () => {
    const config = new Config();
    const seen: string[] = [];
    const steps = Object.fromEntries(APPLY_HOOKS.map((h) => [h, () => undefined])) as Record<ApplyHook, () => void>;
    config.setApplier({
      ...steps,
      eviction: (v, name) => seen.push(`${name}=${v}`),
      'cron-rate': (v) => {
        if (v === '7') throw new ConfigError('no sevens');
      },
    });
    assert.throws(
      () =>
        config.setAll([
          [findOption('maxmemory-samples')!, '3'],
          [findOption('hz')!, '7'],
        ]),
      (e) => e instanceof ConfigSetFailure && e.option.name === 'hz' && e.message === 'no sevens',
    );
    assert.equal(config.get('maxmemory-samples'), '5');
    assert.equal(config.get('hz'), '10');
    assert.deepEqual(seen, ['maxmemory-samples=3', 'maxmemory-samples=5']);
  });
});

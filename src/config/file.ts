/**
 * Reading configuration the way redis-server does:
 *
 *   nodis-server [/path/to/redis.conf | -] [--name value …]
 *
 * The file's text (or standard input's, for "-") comes first; each
 * "--name v1 v2" becomes one more line, `name "v1" "v2"`, started on a new
 * line, so argv wins over the file (the last value wins). Lines are split
 * like inline commands (quotes, escapes); blank lines and # comments are
 * skipped; `include` reads another file in place. Successive `save` lines of
 * a file add up (the first replaces the default); a `save` from argv
 * replaces. The first bad line stops start-up with Redis's FATAL CONFIG FILE
 * ERROR report naming the line, its text and the reason.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { splitArgs } from '../protocol/parser.js';
import { Config, findOption } from './config.js';
import { ConfigError } from './errors.js';
import { DEPRECATED_DIRECTIVES } from './options.js';
import { quoteArg } from '../util/repr.js';

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the config file, or '' when none was given. */
  file: string;
}

/** Start-up must stop: `message` is what to print (the FATAL report goes to stderr as is). */
export class ConfigFileError extends ConfigError {
  constructor(
    message: string,
    /** True for a FATAL CONFIG FILE ERROR report, false for a one-line log message. */
    readonly report: boolean,
  ) {
    super(message);
  }
}

/**
 * Builds a Config from redis-server style arguments. Throws ConfigFileError
 * when start-up must stop.
 */
export function loadConfigFromArgs(args: readonly string[], redisVersion: string): LoadedConfig {
  let file = '';
  let text = '';
  let i = 0;
  if (args.length > 0 && args[0] === '-') {
    text = readFileSync(0, 'latin1');
    i = 1;
  } else if (args.length > 0 && !args[0]!.startsWith('--')) {
    file = resolve(args[0]!);
    text = readConfigText(file);
    i = 1;
  }
  const argvFromLine = text.split('\n').length + 1;
  text += argvLines(args.slice(i));
  const config = new Config();
  new ConfigLoader(config, redisVersion, argvFromLine).apply(text);
  return { config, file };
}

/** "--port 6380 --save 60 1" → "\nport \"6380\"\nsave \"60\" \"1\"", as redis-server builds it. */
export function argvLines(args: readonly string[]): string {
  let out = '';
  let name = '';
  let values: string[] = [];
  const flush = () => {
    if (name === '') return;
    // A bare --save means `save ""` (no snapshots), as in redis-server.
    if (values.length === 0 && name.toLowerCase() === 'save') values = [''];
    out += '\n' + [name, ...values.map(quoteArg)].join(' ');
  };
  for (const a of args) {
    if (a.startsWith('--') && a.length > 2) {
      flush();
      name = a.slice(2);
      values = [];
    } else {
      values.push(a);
    }
  }
  flush();
  return out;
}

function readConfigText(path: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'No such file or directory'
        : code === 'EACCES'
          ? 'Permission denied'
          : code === 'EISDIR'
            ? 'Is a directory'
            : (e as Error).message;
    throw new ConfigFileError(`Fatal error, can't open config file '${path}': ${reason}`, false);
  }
}

/** Full-access rules a `user default` line may carry: nodis has no other ACL. */
const FULL_ACCESS_RULES = new Set(['on', 'nopass', '~*', '&*', '+@all', 'allkeys', 'allchannels', 'allcommands', 'resetchannels']);

/** Applies config text line by line to a Config (see the file comment). */
class ConfigLoader {
  private saveSeen = false;
  /** SHA-256 password hashes of `user default` lines, checked against requirepass at the end. */
  private readonly passwordHashes: { hash: string; fail: () => never }[] = [];

  constructor(
    private readonly config: Config,
    private readonly redisVersion: string,
    /** Lines from this number on (1-based, main text) came from argv. */
    private readonly argvFromLine: number,
  ) {}

  /** Applies the main text, then checks what could only be checked at the end. */
  apply(text: string): void {
    this.applyText(text, true);
    const pass = this.config.str('requirepass');
    const hash = createHash('sha256').update(pass, 'latin1').digest('hex');
    for (const h of this.passwordHashes) if (pass === '' || h.hash !== hash) h.fail();
  }

  private applyText(text: string, main: boolean): void {
    const lines = text.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      if (line === '' || line.startsWith('#')) continue;
      const fail = (reason: string): never => {
        throw new ConfigFileError(
          `\n*** FATAL CONFIG FILE ERROR (Redis ${this.redisVersion}) ***\nReading the configuration file, at line ${n + 1}\n>>> '${line}'\n${reason}`,
          true,
        );
      };
      const words = splitArgs(line);
      if (words === null) fail('Unbalanced quotes in configuration line');
      if (words!.length === 0) continue;
      try {
        this.directive(words![0]!.toLowerCase(), words!.slice(1), main && n + 1 >= this.argvFromLine, fail);
      } catch (e) {
        if (e instanceof ConfigFileError) throw e;
        if (e instanceof ConfigError) fail(e.message);
        throw e;
      }
    }
  }

  /** One directive: a file-only directive or an option. Throws ConfigError with the reason. */
  private directive(name: string, args: string[], fromArgv: boolean, fail: (reason: string) => never): void {
    switch (name) {
      case 'include':
        if (args.length !== 1) throw new ConfigError('Bad directive or wrong number of arguments');
        this.applyText(readConfigText(args[0]!), false);
        return;
      case 'rename-command':
        if (args.length !== 2) throw new ConfigError('Bad directive or wrong number of arguments');
        throw new ConfigError('nodis does not support rename-command');
      case 'loadmodule':
        if (args.length < 1) throw new ConfigError('Bad directive or wrong number of arguments');
        throw new ConfigError('nodis cannot load Redis modules (loadmodule)');
      case 'user':
        this.user(args, fail);
        return;
    }
    if (DEPRECATED_DIRECTIVES.has(name)) return;
    if (findOption(name) === undefined) throw new ConfigError('Bad directive or wrong number of arguments');
    // Successive save lines of a file add up; the first replaces the default.
    const append = name === 'save' && !fromArgv && this.saveSeen;
    if (name === 'save' && !fromArgv) this.saveSeen = true;
    this.config.set(name, args, append);
  }

  /**
   * `user default …` as CONFIG REWRITE writes it: only the default user with
   * full access; `>password` sets requirepass, `#sha256` must match it.
   */
  private user(args: string[], fail: (reason: string) => never): void {
    if (args.length < 1) throw new ConfigError('Bad directive or wrong number of arguments');
    if (args[0] !== 'default') throw new ConfigError('nodis has no ACL users other than the default user');
    for (const rule of args.slice(1)) {
      if (rule.startsWith('>')) this.config.set('requirepass', [rule.slice(1)]);
      else if (rule.startsWith('#'))
        this.passwordHashes.push({
          hash: rule.slice(1).toLowerCase(),
          fail: () => fail('The password hash of the default user does not match requirepass (nodis has no other ACL support)'),
        });
      else if (!FULL_ACCESS_RULES.has(rule.toLowerCase()))
        throw new ConfigError(`nodis has no ACL support: unsupported rule '${rule}' for the default user`);
    }
  }
}

/**
 * Reading configuration the way redis-server does: an optional config file
 * path as the first argument, then "--name value …" pairs appended as extra
 * lines, the whole parsed line by line (comments, quoting like inline
 * commands, `include`). An error stops start-up with Redis's FATAL CONFIG
 * FILE ERROR report naming the line.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { splitArgs } from '../protocol/parser.js';
import { Config, ConfigError } from './config.js';

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the config file, or '' when none was given. */
  file: string;
}

/**
 * Builds a Config from redis-server style arguments. Throws ConfigError whose
 * message is the full multi-line report to print before exiting.
 */
export function loadConfigFromArgs(args: readonly string[], redisVersion: string): LoadedConfig {
  let file = '';
  let i = 0;
  let text = '';
  if (args.length > 0 && !args[0]!.startsWith('--')) {
    file = resolve(args[0]!);
    text = readConfigText(file);
    i = 1;
  }
  // "--port 6380 --save 60 1" → "port 6380\nsave 60 1\n", as Redis does.
  let line = '';
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--') && a.length > 2) {
      if (line !== '') text += line + '\n';
      line = a.slice(2);
    } else if (a === '-' ) {
      text += readFileSync(0, 'latin1');
    } else {
      line += (line === '' ? '' : ' ') + quoteArg(a);
    }
  }
  if (line !== '') text += line + '\n';
  const config = new Config();
  applyConfigText(config, text, redisVersion);
  return { config, file };
}

function readConfigText(path: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch (e) {
    throw new ConfigError(`Fatal error, can't open config file '${path}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`);
  }
}

function quoteArg(a: string): string {
  return a === '' || /[\s"'\\]/.test(a) ? `"${a.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : a;
}

/** Applies config text line by line; throws ConfigError with Redis's report on the first bad line. */
export function applyConfigText(config: Config, text: string, redisVersion: string): void {
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!.replace(/\r$/, '');
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const words = splitArgs(trimmed);
    const fail = (reason: string): never => {
      throw new ConfigError(
        `\n*** FATAL CONFIG FILE ERROR (Redis ${redisVersion}) ***\nReading the configuration file, at line ${n + 1}\n>>> '${trimmed}'\n${reason}`,
      );
    };
    if (words === null) fail('Unbalanced quotes in configuration line');
    const [name, ...rest] = words!;
    if (name!.toLowerCase() === 'include') {
      if (rest.length !== 1) fail('Bad directive or wrong number of arguments');
      applyConfigText(config, readConfigText(rest[0]!), redisVersion);
      continue;
    }
    try {
      config.set(name!, rest);
    } catch (e) {
      if (e instanceof ConfigError) fail(e.message);
      throw e;
    }
  }
}

/**
 * Options with their own syntax (Redis's "special" configs): how their
 * words are validated and normalised into CONFIG GET's text, and how that
 * text is written back by CONFIG REWRITE. Error texts are Redis 7.0's.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from './errors.js';
import { memoryWithUnit, parseMemory, parseStrictInt } from './values.js';
import { quoteArg } from '../util/repr.js';

export interface SpecialParser {
  /** CONFIG SET splits its value on single spaces into words (save, bind …). */
  readonly multiArg: boolean;
  /**
   * Validates `words` and returns the new CONFIG GET text. `current` is the
   * option's text now; `append` asks save to add to it (config file lines).
   * Throws ConfigError with the reason.
   */
  parse(words: readonly string[], current: string, append: boolean): string;
  /**
   * The lines CONFIG REWRITE writes for `text` (argument part of each line),
   * each with whether it must be written even when absent from the file.
   */
  rewrite(text: string, defaultText: string): { args: string; force: boolean }[];
}

const one = (args: string, force: boolean) => [{ args, force }];

const bind: SpecialParser = {
  multiArg: true,
  parse(words) {
    if (words.length > 16) throw new ConfigError('Too many bind addresses specified.');
    return words.join(' ');
  },
  rewrite: (text, def) => one(text === '' ? '""' : text, text !== def),
};

/** "seconds changes" pairs; seconds ≥ 1, changes ≥ 0. */
const save: SpecialParser = {
  multiArg: true,
  parse(words, current, append) {
    if (words.length === 0 || (words.length === 1 && words[0] === '')) return append ? current : '';
    if (words.length % 2 !== 0) throw new ConfigError('Invalid save parameters');
    for (let i = 0; i < words.length; i += 2) {
      const secs = parseStrictInt(words[i]!);
      const changes = parseStrictInt(words[i + 1]!);
      if (secs === null || changes === null || secs < 1n || changes < 0n) throw new ConfigError('Invalid save parameters');
    }
    const text = words.join(' ');
    return append && current !== '' ? `${current} ${text}` : text;
  },
  rewrite(text, def) {
    const force = text !== def;
    if (text === '') return one('""', force);
    const w = text.split(' ');
    const lines = [];
    for (let i = 0; i < w.length; i += 2) lines.push({ args: `${w[i]} ${w[i + 1]}`, force });
    return lines;
  },
};

const CLASSES = ['normal', 'slave', 'pubsub'];

/** "class hard soft seconds" groups merged into the current limits of the three classes. */
const clientOutputBufferLimit: SpecialParser = {
  multiArg: true,
  parse(words, current) {
    if (words.length === 0 || words.length % 4 !== 0) throw new ConfigError('Wrong number of arguments in buffer limit configuration.');
    const limits = current.split(' ');
    for (let i = 0; i < words.length; i += 4) {
      let cls = words[i]!.toLowerCase();
      if (cls === 'replica') cls = 'slave';
      const at = CLASSES.indexOf(cls);
      if (at === -1) throw new ConfigError('Invalid client class specified in buffer limit configuration.');
      const hard = parseMemory(words[i + 1]!);
      const soft = parseMemory(words[i + 2]!);
      const secs = parseStrictInt(words[i + 3]!);
      if (hard === null || soft === null || secs === null || secs < 0n) {
        throw new ConfigError('Error in hard, soft or soft_seconds setting in buffer limit configuration.');
      }
      limits.splice(at * 4, 4, cls, String(hard), String(soft), String(secs));
    }
    return limits.join(' ');
  },
  rewrite(text, def) {
    const w = text.split(' ');
    const d = def.split(' ');
    const lines = [];
    for (let i = 0; i < w.length; i += 4) {
      const force = w.slice(i, i + 4).join(' ') !== d.slice(i, i + 4).join(' ');
      // The replica class is written under its 7.0 name.
      const cls = w[i] === 'slave' ? 'replica' : w[i];
      lines.push({ args: `${cls} ${memoryWithUnit(BigInt(w[i + 1]!))} ${memoryWithUnit(BigInt(w[i + 2]!))} ${w[i + 3]}`, force });
    }
    return lines;
  },
};

const oomScoreAdjValues: SpecialParser = {
  multiArg: true,
  parse(words) {
    if (words.length !== 3) throw new ConfigError('wrong number of arguments');
    for (const w of words) {
      const n = parseStrictInt(w);
      if (n === null || n < -2000n || n > 2000n)
        throw new ConfigError('Invalid oom-score-adj-values, elements must be between -2000 and 2000.');
    }
    return words.join(' ');
  },
  rewrite: (text, def) => one(text, text !== def),
};

const percentiles: SpecialParser = {
  multiArg: true,
  parse(words) {
    const out: string[] = [];
    for (const w of words) {
      const n = w.trim() === '' ? NaN : Number(w);
      if (Number.isNaN(n)) throw new ConfigError('Invalid latency-tracking-info-percentiles parameters');
      if (n < 0 || n > 100) throw new ConfigError('latency-tracking-info-percentiles parameters should sit between [0.0,100.0]');
      out.push(String(n));
    }
    return out.join(' ');
  },
  // Redis 7.0 always writes this option back.
  rewrite: (text) => one(text === '' ? '""' : text, true),
};

/** Event class characters in the order Redis prints them; 'A' stands for the first ten. */
const EVENT_CLASSES = 'g$lshzxetd';
const EVENT_CHARS = EVENT_CLASSES + 'nKEmA';

const notifyKeyspaceEvents: SpecialParser = {
  multiArg: false,
  parse(words) {
    if (words.length !== 1) throw new ConfigError('wrong number of arguments');
    const set = new Set<string>();
    for (const ch of words[0]!) {
      if (!EVENT_CHARS.includes(ch)) throw new ConfigError("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
      if (ch === 'A') for (const c of EVENT_CLASSES) set.add(c);
      else set.add(ch);
    }
    const all = [...EVENT_CLASSES].every((c) => set.has(c));
    let out = all ? 'A' : [...EVENT_CLASSES].filter((c) => set.has(c)).join('');
    for (const c of 'nKEm') if (set.has(c)) out += c;
    return out;
  },
  rewrite: (text, def) => one(quoteArg(text), text !== def),
};

/** The working directory for RDB files; must exist. Relative paths resolve against the current value. */
const dir: SpecialParser = {
  multiArg: false,
  parse(words, current) {
    if (words.length !== 1) throw new ConfigError('wrong number of arguments');
    const path = resolve(current === '' ? process.cwd() : current, words[0]!);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ConfigError(code === 'EACCES' ? 'Permission denied' : code === 'ENOTDIR' ? 'Not a directory' : 'No such file or directory');
    }
    if (!isDir) throw new ConfigError('Not a directory');
    return path;
  },
  // Redis always writes the working directory back.
  rewrite: (text) => one(quoteArg(text), true),
};

/** "host port", or "no one" for none. */
const replicaof: SpecialParser = {
  multiArg: true,
  parse(words) {
    if (words.length !== 2) throw new ConfigError('wrong number of arguments');
    if (words[0]!.toLowerCase() === 'no' && words[1]!.toLowerCase() === 'one') return '';
    const port = parseStrictInt(words[1]!);
    if (port === null || port < 0n || port > 65535n) throw new ConfigError('Invalid master port');
    return `${words[0]} ${port}`;
  },
  rewrite: (text) => (text === '' ? [] : one(text, true)),
};

export const SPECIAL_PARSERS: Record<string, SpecialParser> = {
  bind,
  save,
  'client-output-buffer-limit': clientOutputBufferLimit,
  'oom-score-adj-values': oomScoreAdjValues,
  'latency-tracking-info-percentiles': percentiles,
  'notify-keyspace-events': notifyKeyspaceEvents,
  dir,
  replicaof,
};

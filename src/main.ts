#!/usr/bin/env node
/**
 * nodis-server: the command-line entry, used like redis-server:
 *
 *   nodis-server [/path/to/redis.conf | -] [--option value …]
 *
 * Start-up: read the configuration (a bad one prints Redis's FATAL CONFIG
 * FILE ERROR report and exits 1), detach when daemonize is yes, move to
 * `dir`, write the pid file, bind (a port that cannot be had exits 1 with
 * "Failed listening on port … (TCP), aborting."), then serve until
 * SHUTDOWN, SIGTERM or SIGINT, which shut down cleanly and exit 0.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { loadConfigFromArgs, ConfigFileError, type LoadedConfig } from './config/file.js';
import { Server } from './server/server.js';
import type { LoadResult } from './persistence/load.js';
import { Logger } from './util/log.js';
import { REDIS_VERSION, VERSION } from './version.js';
import { commandTable } from './commands/index.js';

/** Set in the detached child of a daemonized start. */
const DAEMON_ENV = 'NODIS_DAEMONIZED';
/** Redis's pid file when daemonized without one configured. */
const DEFAULT_DAEMON_PIDFILE = '/var/run/redis.pid';

function usage(): never {
  process.stderr.write(
    [
      'Usage: ./nodis-server [/path/to/redis.conf] [options] [-]',
      '       ./nodis-server - (read config from stdin)',
      '       ./nodis-server -v or --version',
      '       ./nodis-server -h or --help',
      '',
      'Examples:',
      '       ./nodis-server (run the server with default conf)',
      '       ./nodis-server /etc/redis/6379.conf',
      '       ./nodis-server --port 7777',
      '       ./nodis-server /etc/myredis.conf --loglevel verbose -',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

/** Reads argv and the config file, or exits 1 the way redis-server does. */
function loadOrExit(args: string[]): LoadedConfig {
  try {
    return loadConfigFromArgs(args, REDIS_VERSION);
  } catch (e) {
    if (!(e instanceof ConfigFileError)) throw e;
    if (e.report) process.stderr.write(e.message + '\n');
    else startupLogger().warning(e.message);
    process.exit(1);
  }
}

/** The logger used before a Server exists (role C, standard output). */
function startupLogger(): Logger {
  const log = new Logger();
  log.role = 'C';
  return log;
}

/** daemonize yes: starts a detached copy of this process and exits. */
function daemonize(): never {
  const child = spawn(process.execPath, process.argv.slice(1), {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, [DAEMON_ENV]: '1' },
  });
  child.unref();
  process.exit(0);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '-v' || args[0] === '--version') {
    process.stdout.write(`nodis server v=${REDIS_VERSION} nodis=${VERSION} bits=64 node=${process.version}\n`);
    process.exit(0);
  }
  if (args[0] === '-h' || args[0] === '--help') usage();
  const loaded = loadOrExit(args);
  const config = loaded.config;
  if (config.bool('daemonize') && process.env[DAEMON_ENV] !== '1') daemonize();
  const logfile = config.str('logfile');
  if (logfile !== '') {
    try {
      appendFileSync(logfile, '');
    } catch (e) {
      process.stderr.write(`Can't open the log file: ${(e as Error).message}\n`);
      process.exit(1);
    }
  }
  process.chdir(config.str('dir'));

  const server = new Server(commandTable(), config);
  server.configFile = loaded.file;
  server.exitOnShutdown = true;
  server.followsDir = true;
  const log = server.logger;
  log.role = 'C';
  log.warning('oO0OoO0OoO0Oo nodis is starting oO0OoO0OoO0Oo');
  log.warning(
    `nodis version=${VERSION} (Redis ${REDIS_VERSION} compatible), bits=64, commit=00000000, modified=0, pid=${process.pid}, just started`,
  );
  if (args.length === 0) {
    log.warning(
      'Warning: no config file specified, using the default config. In order to specify a config file use nodis-server /path/to/redis.conf',
    );
  } else {
    log.warning('Configuration loaded');
  }
  log.role = 'M';
  if (config.num('port') === 0 && config.str('unixsocket') === '') {
    log.warning('Configured to not listen anywhere, exiting.');
    process.exit(1);
  }
  const pidfile = config.str('pidfile') || (config.bool('daemonize') ? DEFAULT_DAEMON_PIDFILE : '');
  try {
    await server.start();
  } catch (e) {
    log.warning((e as Error).message);
    process.exit(1);
  }
  if (pidfile !== '') writePidfile(pidfile, log);
  printBanner(server);
  log.warning('Server initialized');
  let dataset: LoadResult | null = null;
  // replicaof in the config: a replica from the start (the load keeps expired keys); the link starts once the data is loaded.
  server.replicaLink.configureFromConfig();
  try {
    const file = server.persistence.readDumpFile();
    // Clients connecting meanwhile get -LOADING, as from Redis.
    if (file !== null) dataset = await server.persistence.loadInSlices(file);
  } catch (e) {
    log.warning(`Fatal error loading the DB: ${(e as Error).message}. Exiting.`);
    process.exit(1);
  }
  server.replicaLink.startFromConfig(dataset);
  log.notice('Ready to accept connections');
  let shuttingDown = false;
  const onSignal = (sig: 'SIGTERM' | 'SIGINT') => {
    if (shuttingDown && sig === 'SIGINT') {
      log.warning('You insist... exiting now.');
      process.exit(1);
    }
    log.raw(`${process.pid}:signal-handler (${Math.floor(Date.now() / 1000)}) Received ${sig} scheduling shutdown...\n`);
    if (shuttingDown) return;
    shuttingDown = true;
    // shutdown-on-sigterm / shutdown-on-sigint: default, or save|nosave, now, force.
    const words = server.config.str(sig === 'SIGTERM' ? 'shutdown-on-sigterm' : 'shutdown-on-sigint').split(' ');
    const flags = {
      save: words.includes('save'),
      nosave: words.includes('nosave'),
      now: words.includes('now'),
      force: words.includes('force'),
    };
    server.shutdown.request(null, flags, () => {
      shuttingDown = false;
      log.warning(`${sig} received but errors trying to shut down the server, check the logs for more information`);
    });
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('exit', () => removePidfile(pidfile));
}

function writePidfile(path: string, log: Logger): void {
  try {
    writeFileSync(path, `${process.pid}\n`);
  } catch (e) {
    log.warning(`Failed to write PID file: ${(e as Error).message}`);
  }
}

function removePidfile(path: string): void {
  if (path === '') return;
  try {
    unlinkSync(path);
  } catch {
    // already removed
  }
}

/** The start-up logo (always-show-logo yes, or a terminal) or Redis's one-line summary. */
function printBanner(server: Server): void {
  const log = server.logger;
  if (server.config.bool('always-show-logo') || (process.stdout.isTTY && server.config.str('logfile') === '')) {
    log.raw(
      [
        '',
        `                 _ _         nodis ${VERSION} (Redis ${REDIS_VERSION} compatible) 64 bit`,
        '   _ __   ___  __| (_)___    Running in standalone mode',
        `  | '_ \\ / _ \\/ _\` | / __|   Port: ${server.port}`,
        `  | | | | (_) | (_| | \\__ \\   PID: ${process.pid}`,
        '  |_| |_|\\___/ \\__,_|_|___/',
        '',
        '',
      ].join('\n'),
    );
  } else {
    log.notice(`Running mode=standalone, port=${server.port}.`);
  }
}

await main();

#!/usr/bin/env node
/**
 * nodis-server: the command-line entry, used like redis-server:
 *   nodis-server [/path/to/redis.conf] [--option value …]
 */
import { loadConfigFromArgs } from './config/file.js';
import { ConfigError } from './config/config.js';
import { Server } from './server/server.js';
import { REDIS_VERSION, VERSION } from './version.js';

async function main(): Promise<void> {
  let loaded;
  try {
    loaded = loadConfigFromArgs(process.argv.slice(2), REDIS_VERSION);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(e.message + '\n');
      process.exit(1);
    }
    throw e;
  }
  const server = new Server(loaded.config);
  server.configFile = loaded.file;
  server.exitOnShutdown = true;
  const log = server.logger;
  log.role = 'C';
  log.warning('oO0OoO0OoO0Oo nodis is starting oO0OoO0OoO0Oo');
  log.warning(`nodis version=${VERSION}, redis_version=${REDIS_VERSION}, bits=64, node=${process.version}, pid=${process.pid}, just started`);
  if (loaded.file === '') {
    log.warning('Warning: no config file specified, using the default config. In order to specify a config file use nodis-server /path/to/redis.conf');
  } else {
    log.notice(`Configuration loaded`);
  }
  log.role = 'M';
  try {
    await server.start();
  } catch (e) {
    log.warning((e as Error).message);
    process.exit(1);
  }
  printBanner(server);
  log.notice('Server initialized');
  log.notice('Ready to accept connections tcp');
  const onSignal = (sig: string) => {
    log.warning(`Received ${sig} scheduling shutdown...`);
    void server.shutdownAndExit();
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}

/** The start-up logo (always-show-logo yes, or a terminal) or Redis's one-line summary. */
function printBanner(server: Server): void {
  const log = server.logger;
  if (server.config.bool('always-show-logo') || (process.stdout.isTTY && server.config.str('logfile') === '')) {
    log.raw(
      [
        '',
        `                 _ _         nodis ${VERSION} (Redis ${REDIS_VERSION} compatible)`,
        '   _ __   ___  __| (_)___    Running in standalone mode',
        `  | '_ \\ / _ \\/ _\` | / __|   Port: ${server.port}`,
        `  | | | | (_) | (_| | \\__ \\   PID: ${process.pid}`,
        '  |_| |_|\\___/ \\__,_|_|___/',
        '                             https://www.npmjs.com/package/nodis',
        '',
        '',
      ].join('\n'),
    );
  } else {
    log.notice(`Running mode=standalone, port=${server.port}.`);
  }
}

await main();

/**
 * The library API: start nodis servers inside a Node process, for tests and
 * embedding.
 *
 *   const server = await startServer({ port: 0, config: { requirepass: 'x' } });
 *   // … connect to 127.0.0.1:server.port …
 *   await server.stop();
 *
 * Persistence is opt-in for embedded servers: unless `config` sets `save`,
 * no save points are set (an in-process test server does not write
 * dump.rdb into the working directory on FLUSHALL), and the RDB file is
 * loaded at start only when `config` names its `dir`.
 */
import { Config, findOption, wordsOfValue } from './config/config.js';
import { Server } from './server/server.js';
import { commandTable } from './commands/index.js';

export interface StartOptions {
  /** TCP port; 0 picks a free one (the default). */
  port?: number;
  /** Host(s) to bind, like the `bind` option; default 127.0.0.1. */
  bind?: string;
  /** Any other options, by their redis.conf names: { 'maxclients': 100, hz: 50 }. */
  config?: Record<string, string | number | boolean | readonly string[]>;
  /** Write log lines to standard output (default false for embedded servers). */
  log?: boolean;
}

export interface RunningServer {
  /** The TCP port the server listens on. */
  readonly port: number;
  /** The server itself, for in-process inspection. */
  readonly server: Server;
  /** Closes listeners and connections. */
  stop(): Promise<void>;
}

/** Starts a server with the given options; resolves once it is listening. */
export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const config = new Config();
  config.set('save', ['']);
  config.set('port', [String(opts.port ?? 0)]);
  config.set('bind', (opts.bind ?? '127.0.0.1').split(' '));
  for (const [name, value] of Object.entries(opts.config ?? {})) {
    const spec = findOption(name);
    const words = Array.isArray(value)
      ? value.map(String)
      : typeof value === 'boolean'
        ? [value ? 'yes' : 'no']
        : spec !== undefined
          ? wordsOfValue(spec, String(value))
          : [String(value)];
    config.set(name, words);
  }
  const server = new Server(commandTable(), config);
  server.logger.enabled = opts.log ?? false;
  server.replicaLink.configureFromConfig();
  const loaded = opts.config?.dir !== undefined ? server.persistence.loadAtStartup() : null;
  await server.start();
  server.replicaLink.startFromConfig(loaded);
  return { port: server.port, server, stop: () => server.stop() };
}

export { Server, Config };

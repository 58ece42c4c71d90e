/**
 * The apply steps of the option table (config/options.ts, ApplyHook): what
 * the server does when an option that a subsystem derives something from
 * changes. Every hook has exactly one implementation here, so one file
 * shows how a CONFIG SET reaches the running server. A step may refuse the
 * new value by throwing ConfigError (port and bind when the addresses
 * cannot be bound); CONFIG SET then restores every option of the call.
 * Options without a step are read where they are used.
 */
import type { Server } from './server.js';
import type { Applier } from '../config/config.js';
import { ConfigError } from '../config/errors.js';
import { listenAddresses, probeListen } from '../config/listen.js';
import type { Logger } from '../util/log.js';

/** The server's apply steps; `refreshNotifications` is the keyspace notifier's. */
export function serverApplier(server: Server, refreshNotifications: (text: string) => void): Applier {
  const config = server.config;
  return {
    listeners: (_text, name) => {
      if (!server.listening) return;
      const wanted = listenAddresses(config.str('bind'), config.num('port'));
      // Ports this server holds are freed before rebinding: for them only the address is checked.
      const held = new Set(server.tcpAddresses().map((a) => a.port));
      if (probeListen(wanted.map((a) => (held.has(a.port) ? { ...a, port: 0 } : a))) !== null) {
        throw new ConfigError(
          name === 'port' ? 'Unable to listen on this port. Check server logs.' : 'Failed to bind to specified addresses.',
        );
      }
      void server.rebindTcp();
    },
    'parser-limits': () => {
      const max = config.num('proto-max-bulk-len');
      // The master's link is exempt, as in Redis: its stream carries whatever the master accepted.
      for (const c of server.clients.values()) if (!c.exemptFromLimits) c.parser.maxBulkLen = max;
    },
    'log-level': (text) => (server.logger.level = text as Logger['level']),
    'cron-rate': () => server.cron.reschedule(),
    slowlog: () => server.slowlog.refresh(),
    latency: () => server.latency.refresh(),
    'output-limits': (text) => server.outputLimits.refresh(text),
    notifications: (text) => refreshNotifications(text),
    maxmemory: () => {
      server.accessPolicy.refresh(config);
      server.evictor.limitChanged(config.num('maxmemory'));
    },
    eviction: () => {
      server.accessPolicy.refresh(config);
      server.evictor.refresh();
    },
    'backlog-size': () => server.replication.backlog?.resize(config.num('repl-backlog-size')),
    'min-replicas': () => server.replication.primary.refreshMinReplicas(),
    'working-dir': (dir) => {
      if (server.followsDir) process.chdir(dir);
    },
  };
}

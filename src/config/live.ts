/**
 * Options that act the moment they change (CONFIG SET), wired to a server:
 * port and bind rebind the TCP listeners (refusing addresses that cannot
 * be bound, like Redis 7.0), proto-max-bulk-len reaches every connected
 * client's parser (but the master link's). Most other options are read live where they are used
 * (timeout, maxclients, requirepass, protected-mode, slowlog-*,
 * client-query-buffer-limit …); hz and loglevel have their own listeners
 * in the cron and the server.
 */
import type { Server } from '../server/server.js';
import { ConfigError } from './errors.js';
import { listenAddresses, probeListen } from './listen.js';

/** Registers the listeners of options that act when changed. */
export function wireLiveOptions(server: Server): void {
  const config = server.config;
  const rebind = (reason: string) => () => {
    if (!server.listening) return;
    const wanted = listenAddresses(config.str('bind'), config.num('port'));
    // Ports this server holds are freed before rebinding: for them only the address is checked.
    const held = new Set(server.tcpAddresses().map((a) => a.port));
    if (probeListen(wanted.map((a) => (held.has(a.port) ? { ...a, port: 0 } : a))) !== null) throw new ConfigError(reason);
    void server.rebindTcp();
  };
  config.onChange('port', rebind('Unable to listen on this port. Check server logs.'));
  config.onChange('bind', rebind('Failed to bind to specified addresses.'));
  config.onChange('proto-max-bulk-len', () => {
    const max = config.num('proto-max-bulk-len');
    // The master's link is exempt, as in Redis: its stream carries whatever the master accepted.
    for (const c of server.clients.values()) if (c.kindFlag !== 'M') c.parser.maxBulkLen = max;
  });
}

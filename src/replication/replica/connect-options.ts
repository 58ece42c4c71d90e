/**
 * How a replica opens its connections to its master (the main link and
 * the dual-channel RDB channel): to host:port, from `bind-source-addr`
 * when that names a local address, as Redis does for outgoing connections.
 */
import type { NetConnectOpts } from 'node:net';
import type { Config } from '../../config/config.js';

/** The options of net.connect for a connection to the master at host:port. */
export function masterConnectOptions(config: Config, host: string, port: number): NetConnectOpts {
  const source = config.str('bind-source-addr');
  return source === '' ? { host, port } : { host, port, localAddress: source };
}

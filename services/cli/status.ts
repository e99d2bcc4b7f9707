/** `arbdesk status`: what the running host reports. */
import { resolveDataDir } from '../config/data-dir.js';
import { CliError, formatDuration, printJson, table, unwrap } from './output.js';
import { connectToHost, invokeHost } from './host-client.js';

export async function status(options: { dataDir?: string; json?: boolean }): Promise<void> {
  const dataDir = resolveDataDir(options.dataDir);
  const conn = connectToHost(dataDir);
  if (!conn) {
    throw new CliError(`ArbDesk is not running for ${dataDir}. Start it with \`npm start\` or \`arbdesk serve${options.dataDir ? ` --data-dir ${options.dataDir}` : ''}\`.`, 3);
  }
  const s = unwrap(await invokeHost(conn, 'system.status'));
  if (options.json) return printJson(s);
  console.log(`ArbDesk ${s.version} (${s.mode}), pid ${s.pid}, up ${formatDuration(s.uptimeSeconds)}`);
  console.log(`Data dir: ${s.dataDir}`);
  console.log(`Dashboard: ${conn.info.controlUrl} (run \`arbdesk url\` for the login link)\n`);
  console.log(table([['SERVICE', 'STATE', 'REASON'], ...s.services.map((x) => [x.id, x.state, x.reason])]));
}

/**
 * The `arbdesk` command line: its commands and options. Every command takes --data-dir (default: ARBDESK_DATA_DIR, else
 * the per-OS app data folder) and, where it prints data, --json.
 */
import { Command, Option } from 'commander';
import { VERSION } from '../version.js';
import { configGet, configSet } from './config.js';
import { doctor } from './doctor.js';
import { CliError, printJson } from './output.js';
import { serve } from './serve.js';
import { status } from './status.js';
import { connectToHost, loginUrl } from './host-client.js';
import { resolveDataDir } from '../config/data-dir.js';
import { addBusinessCommands } from './business.js';
import { addReportCommands } from './report.js';

const dataDirOption = () => new Option('--data-dir <dir>', 'data directory (default: $ARBDESK_DATA_DIR or the per-OS app data folder)');
const jsonOption = () => new Option('--json', 'print JSON for scripts');

export function buildProgram(): Command {
  const program = new Command('arbdesk')
    .description('ArbDesk: Telegram shop bot, metering OpenAI-compatible proxy and owner dashboard')
    .version(VERSION)
    .showHelpAfterError('(run `arbdesk --help` for the commands)')
    // Usage mistakes (unknown option, missing argument) are thrown to main() instead of exiting
    // with 1, so they exit 2 ("bad input") and a `--json` caller gets them as JSON too. Every
    // subcommand created below inherits this.
    .exitOverride();

  program
    .command('serve')
    .description('run ArbDesk headless: all services plus the dashboard in your browser')
    .addOption(dataDirOption())
    .option('--control-port <port>', 'dashboard/control server port (default 8790; 0 = any free port)')
    .option('--host <address>', 'address the control server binds to (default 127.0.0.1)')
    .option('--proxy-port <port>', 'reselling proxy port (default 8787)')
    .option('--proxy-host <address>', 'address the proxy binds to (default 127.0.0.1)')
    .option('--log-level <level>', 'trace, debug, info, warn, error or fatal')
    .option('--quiet', 'do not mirror the JSON log on stdout')
    .action((opts) => serve(opts));

  program.command('status').description('what the running host reports').addOption(dataDirOption()).addOption(jsonOption()).action((opts) => status(opts));

  program
    .command('doctor')
    .description('which services are configured, what is missing, what each needs to start')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action((opts) => doctor(opts));

  program
    .command('url')
    .description('print the dashboard login URL of the running host (contains the owner token)')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action((opts: { dataDir?: string; json?: boolean }) => {
      const dataDir = resolveDataDir(opts.dataDir);
      const conn = connectToHost(dataDir);
      if (!conn) throw new CliError(`ArbDesk is not running for ${dataDir}. Start it with \`arbdesk serve\`.`, 3);
      if (opts.json) return printJson({ url: loginUrl(conn), controlUrl: conn.info.controlUrl });
      console.log(loginUrl(conn));
    });

  const config = program.command('config').description('read and change settings (config.json and the secret store in the data dir)');
  config
    .command('get [key]')
    .description('effective settings with their source; secrets masked (a key, a group such as `upstream`, or all)')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action((key: string | undefined, opts) => configGet(key, opts));
  config
    .command('set <key> [value]')
    .description('change a setting; secrets are read from stdin, never from the command line')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action((key: string, value: string | undefined, opts) => configSet(key, value, opts));
  config
    .command('unset <key>')
    .description('remove a setting from the file (back to its default) or delete a secret')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action((key: string, opts) => configSet(key, undefined, { ...opts, unset: true }));

  addBusinessCommands(program, (c) => c.addOption(dataDirOption()).addOption(jsonOption()));
  addReportCommands(program, (c) => c.addOption(dataDirOption()).addOption(jsonOption()));

  return program;
}


/** Entry of the `arbdesk` CLI (bundled to dist/services/cli.js): parse, run, map errors to exit codes. */
import { CommanderError } from 'commander';
import { ConfigError } from '../config/load.js';
import { buildProgram } from './main-program.js';
import { CliError } from './output.js';

/** What a failure is called in `--json` output, by exit code (when the host gave no code of its own). */
const CODE_BY_EXIT: Record<number, string> = { 1: 'failed', 2: 'invalid_input', 3: 'not_running' };

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    // --help and --version end this way too (exit code 0); a usage mistake was already printed by commander.
    const usage = error instanceof CommanderError;
    if (usage && error.exitCode === 0) process.exit(0);
    const exitCode = error instanceof CliError ? error.exitCode : error instanceof ConfigError || usage ? 2 : 1;
    const message = usage ? error.message.replace(/^error: /, '') : error instanceof Error ? error.message : String(error);
    if (!usage) console.error(`arbdesk: ${message}`);
    // A script asked for JSON: it gets the failure as JSON too, on stdout (the same words on stderr for a person).
    if (argv.includes('--json')) {
      const code = (error instanceof CliError && error.code) || CODE_BY_EXIT[exitCode] || 'failed';
      process.stdout.write(JSON.stringify({ error: { code, message, exitCode } }, null, 2) + '\n');
    }
    process.exit(exitCode);
  }
}

void main(process.argv);

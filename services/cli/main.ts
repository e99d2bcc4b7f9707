/** Entry of the `arbdesk` CLI (bundled to dist/services/cli.js): parse, run, map errors to exit codes. */
import { ConfigError } from '../config/load.js';
import { buildProgram } from './main-program.js';
import { CliError } from './output.js';

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CliError) {
      console.error(`arbdesk: ${error.message}`);
      process.exit(error.exitCode);
    }
    if (error instanceof ConfigError) {
      console.error(`arbdesk: ${error.message}`);
      process.exit(2);
    }
    console.error(`arbdesk: ${(error as Error).message ?? error}`);
    process.exit(1);
  }
}

void main(process.argv);

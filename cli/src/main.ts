import { readFileSync } from 'fs';
import * as path from 'path';
import { Command, CommanderError } from 'commander';
import { commandName, COMMANDS, invokedCommand } from './commands';
import { CliError, missingCredentialsError } from './errors';
import { formatError } from './print';

/** Which commands `createProgram` registers in full. */
export interface ProgramOptions {
  /**
   * The command to load, by name: the others are listed (name, arguments, summary, exactly as
   * their modules register them) without loading their modules. `null`: load none (`fleet --help`).
   *
   * @default - every command loaded in full
   */
  readonly load?: string | null;
}

/** The `fleet` program with every command registered; exported for tests. */
export function createProgram(options: ProgramOptions = {}): Command {
  const program = new Command('fleet')
    .description(
      [
        'Operate a fleet of Step Functions-first services, one AWS account per tenant.',
        '',
        'Run from the fleet repository (the folder with the manifest .projenrc.ts) or any folder below it. Generating services is `npx projen`; this CLI covers the operational verbs.',
      ].join('\n'),
    )
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    // Set before the commands are added so they inherit it: a usage error throws to main()
    // instead of calling process.exit() from inside commander.
    .exitOverride();
  for (const entry of COMMANDS) {
    if (options.load === undefined || options.load === commandName(entry)) entry.load()(program);
    else program.command(entry.usage).summary(entry.summary);
  }
  withVersion(program, cliVersion());
  return program;
}

/** The CLI's version: its package.json's (one folder above src/ and lib/ alike). */
export function cliVersion(): string {
  return JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf-8')).version;
}

/** `-V, --version` on the program and on every command below it (`fleet owned --version` answers too). */
function withVersion(command: Command, version: string): void {
  command.version(version, '-V, --version', 'print the fleet CLI version');
  for (const sub of command.commands) withVersion(sub, version);
}

/** Entry point: `fleet <command> [options]`. Errors a user can fix print one clear message and exit 1. */
export async function main(argv: string[]): Promise<void> {
  // Only the command that runs is loaded: a warm `fleet run` needs neither the AWS SDK nor typescript.
  const program = createProgram({ load: invokedCommand(argv) ?? null });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const userError = error instanceof CliError ? error : missingCredentialsError(error);
    if (userError) {
      process.stderr.write(`${formatError(userError.message)}\n`);
      process.exitCode = userError.exitCode;
      return;
    }
    throw error;
  }
}

import { Command } from 'commander';

/** Registers one command (its options, `--help` text and action) on the program. */
export type RegisterCommand = (program: Command) => void;

/**
 * One command of the CLI as `fleet --help` lists it, and how to load its module. The usage and
 * summary are what the module itself registers (`test/lazy-commands.test.ts` compares them), so
 * the program lists every command without loading any: a command's module, and with it
 * aws-cdk-lib, the AWS SDK or typescript, is required only when that command runs or prints its
 * own help.
 */
export interface CommandEntry {
  /** The command and its arguments, as `program.command()` takes them (`run [service]`). */
  readonly usage: string;
  readonly summary: string;
  load(): RegisterCommand;
}

/** Every command of the CLI, in `fleet --help` order; add yours here. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    usage: 'cost',
    summary: 'idle monthly cost per tenant account and for the fleet, ours vs the classic design',
    load: () => (require('./cost') as typeof import('./cost')).registerCost,
  },
  {
    usage: 'dlq',
    summary: 'inspect the central DLQ and redeliver failed events into the tenant account they came from',
    load: () => (program) => (require('./dlq') as typeof import('./dlq')).registerDlq(program),
  },
  {
    usage: 'graph [service]',
    summary: 'draw a service workflow (or an ASL file) as a Mermaid flowchart',
    load: () => (require('./graph') as typeof import('./graph')).registerGraph,
  },
  {
    usage: 'list',
    summary: 'list the services under projects/ with blueprint, version and where each is deployed',
    load: () => (require('./list') as typeof import('./list')).registerList,
  },
  {
    usage: 'new',
    summary: 'scaffold: add a service to the manifest and generate it, or create a blueprint package',
    load: () => (require('./new') as typeof import('./new')).registerNew,
  },
  {
    usage: 'owned [service]',
    summary: 'show and take blueprint updates of the files your team owns (three-way merge)',
    load: () => (require('./owned') as typeof import('./owned')).registerOwned,
  },
  {
    usage: 'release [services...]',
    summary: 'build one immutable, content-addressed release per service; --publish uploads it',
    load: () => (program) => (require('./release') as typeof import('./release')).registerRelease(program),
  },
  {
    usage: 'rollout',
    summary: 'plan, start and follow a rollout of the built releases to every tenant, wave by wave',
    load: () => (program) => (require('./rollout') as typeof import('./rollout')).registerRollout(program),
  },
  {
    usage: 'run [service]',
    summary: 'run a workflow locally with real handlers and an embedded DynamoDB',
    load: () => (require('./run') as typeof import('./run')).registerRun,
  },
  {
    usage: 'send',
    summary: 'deliver an event as a tenant account would, by the services\' own EventBridge rules',
    load: () => (require('./send') as typeof import('./send')).registerSend,
  },
  {
    usage: 'sfn',
    summary: 'the Step Functions API on localhost, over the local runtime',
    load: () => (require('./sfn') as typeof import('./sfn')).registerSfn,
  },
  {
    usage: 'status',
    summary: 'each service: blueprint and version, owned files behind the blueprint, conflicts, retired services',
    load: () => (program) => (require('./status') as typeof import('./status')).registerStatus(program),
  },
  {
    usage: 'tenants',
    summary: 'list, show and validate the tenant registry (tenants.ts)',
    load: () => (program) => (require('./tenants') as typeof import('./tenants')).registerTenants(program),
  },
];

/** The command's name: the first word of its usage. */
export function commandName(entry: CommandEntry): string {
  return entry.usage.split(' ')[0];
}

/**
 * The command `argv` (`process.argv`: node, script, then the arguments) runs or asks help for:
 * the first argument that is not an option, or the one after `help` (`fleet help run`).
 * Undefined for `fleet`, `fleet --help` and `fleet --version`.
 */
export function invokedCommand(argv: readonly string[]): string | undefined {
  const args = argv.slice(2).filter((arg) => !arg.startsWith('-'));
  return args[0] === 'help' ? args[1] : args[0];
}

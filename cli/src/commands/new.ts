import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { KEBAB_CASE, Problem } from '@fleet/contracts';
import { writeFileAtomic } from '@fleet/blueprints/files';
import { CliError } from '../errors';
import { findFleetRoot } from '../fleet-root';
import { formatOk } from '../print';
import { addServiceEntry, declaredServiceNames, EntryValue } from '../scaffold/manifest-entry';
import { registerNewBlueprint } from './new-blueprint';

export interface NewServiceOptions {
  blueprint: string;
  description?: string;
  function?: string[];
  event?: string[];
  generate: boolean;
}

/** The blueprint `fleet new service` uses when none is named. */
export const DEFAULT_SERVICE_BLUEPRINT = 'step-functions-service';

/** `fleet new`: scaffolding. */
export function registerNew(program: Command): void {
  const scaffold = program
    .command('new')
    .summary('scaffold: add a service to the manifest and generate it, or create a blueprint package')
    .description('Scaffolding. `fleet new service <name>` adds an entry to the manifest (.projenrc.ts) and runs npx projen; `fleet new blueprint <name>` creates a blueprint package.');

  scaffold
    .command('service')
    .summary('add a service to the manifest (.projenrc.ts) and generate it under projects/<name>')
    .description([
      'Adds an entry for the service to the services array of .projenrc.ts, keeping every other line of the file as it is (comments, formatting, order), then runs npx projen, which validates the whole manifest and generates projects/<name>. If the manifest is rejected, .projenrc.ts is put back exactly as it was and the problems are printed; nothing else was written.',
      '',
      'For the step-functions-service blueprint, each --function adds a Lambda function (kebab-case name) and each --event routes an EventBridge event into the workflow. Edit the entry in .projenrc.ts afterwards for everything else (table access, timeouts, event targets), then run npx projen again.',
    ].join('\n'))
    .argument('<name>', 'the service name: kebab-case, 3-40 characters; the folder under projects/')
    .option('--blueprint <id>', 'the blueprint that generates the service', DEFAULT_SERVICE_BLUEPRINT)
    .option('--description <text>', 'one sentence: what the service does')
    .option('--function <name>', 'a function of the service (repeat for each; step-functions-service)', collect, [])
    .option('--event <source:detail-type>', 'an event routed to the workflow, e.g. "scanner.device:Label Requested" (repeat for each)', collect, [])
    .option('--no-generate', 'only add the entry; do not run npx projen')
    .addHelpText('after', [
      '',
      'Examples:',
      '  npx fleet new service label-printing --description "Prints shipping labels for accepted scans." \\',
      '    --function render-label --function store-label --event "scanner.device:Label Requested"',
      '  npx fleet new service billing-sync --blueprint my-team-blueprint --no-generate',
      '',
    ].join('\n'))
    .action((name: string, options: NewServiceOptions) => {
      process.stdout.write(newService(name, options));
    });

  registerNewBlueprint(scaffold);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The manifest entry `fleet new service` writes. Exported for tests. */
export function serviceEntry(name: string, options: Omit<NewServiceOptions, 'generate'>): Record<string, EntryValue> {
  const problems: Problem[] = [];
  if (!KEBAB_CASE.test(name) || name.length < 3 || name.length > 40) {
    problems.push({ subject: 'service name', problem: 'must be kebab-case, 3-40 characters (lowercase letters, digits, single hyphens)', value: name, fix: 'e.g. "label-printing"' });
  }
  const functions = options.function ?? [];
  const events = options.event ?? [];
  const isStepFunctions = options.blueprint === DEFAULT_SERVICE_BLUEPRINT;
  if (!isStepFunctions && (functions.length > 0 || events.length > 0)) {
    problems.push({ subject: '--function/--event', problem: `only the ${DEFAULT_SERVICE_BLUEPRINT} blueprint takes them`, value: `--blueprint ${options.blueprint}`, fix: 'leave them out and write the blueprint\'s options into the entry in .projenrc.ts' });
  }
  const entry: Record<string, EntryValue> = { name, blueprint: options.blueprint };
  if (options.description !== undefined) entry.description = options.description;
  if (isStepFunctions) {
    const fns = functions.length > 0 ? functions : [`handle-${name}`];
    // No prototype: "toString" or "constructor" is a name like any other (the manifest check judges it).
    const declared: Record<string, EntryValue> = Object.create(null);
    for (const fn of fns) {
      if (Object.hasOwn(declared, fn)) problems.push({ subject: '--function', problem: 'is given twice', value: fn, fix: 'name each function once' });
      declared[fn] = {};
    }
    entry.functions = declared;
    const routes: EntryValue[] = [];
    for (const event of events) {
      const colon = event.indexOf(':');
      if (colon <= 0 || colon === event.length - 1) {
        problems.push({ subject: '--event', problem: 'must be <source>:<detail-type>', value: event, fix: 'e.g. --event "scanner.device:Label Requested"' });
        continue;
      }
      routes.push({ source: event.slice(0, colon), detailType: event.slice(colon + 1) });
    }
    if (routes.length > 0) entry.events = routes;
  }
  if (problems.length > 0) throw new CliError(problems);
  return entry;
}

/** Adds the service to the manifest and (unless told not to) generates it; returns what to print. */
export function newService(name: string, options: NewServiceOptions, cwd = process.cwd(),
  runProjen: (root: string) => { status: number | null } = (root) => spawnSync('npx', ['projen'], { cwd: root, stdio: 'inherit' })): string {
  const root = findFleetRoot(cwd);
  const manifestPath = path.join(root, '.projenrc.ts');
  const before = readFileSync(manifestPath, 'utf-8');
  const entry = serviceEntry(name, options);
  if (declaredServiceNames(before).includes(name)) {
    throw new CliError({ subject: `service ${JSON.stringify(name)}`, problem: 'is already in the manifest (.projenrc.ts)', fix: 'choose another name, or edit its entry' });
  }
  if (existsSync(path.join(root, 'projects', name))) {
    throw new CliError({ subject: `service ${JSON.stringify(name)}`, problem: `projects/${name} already exists (a retired service's kept files?)`, fix: 'choose another name, or move that folder away first' });
  }
  const after = addServiceEntry(before, entry, '.projenrc.ts');
  writeFileAtomic(root, '.projenrc.ts', after);
  const added = `Added ${name} (${options.blueprint}) to .projenrc.ts.\n`;
  if (!options.generate) return `${added}Next: edit its entry if needed, then run "npx projen" to generate projects/${name}.\n`;

  process.stdout.write(`${added}Generating with npx projen (validates the whole manifest, then writes projects/${name})...\n`);
  const result = runProjen(root);
  if (result.status === 0) {
    return `${formatOk(`Generated projects/${name}.`)} Next: write the handlers in projects/${name}/src/functions/ and the workflow in src/workflow.ts (yours), then npm test.\n`;
  }
  if (!existsSync(path.join(root, 'projects', name))) {
    // Rejected before anything was written: put the manifest back exactly as it was, unless the
    // team saved its own edit meanwhile (restoring `before` would silently lose that edit).
    if (readFileSync(manifestPath, 'utf-8') !== after) {
      throw new CliError({
        subject: `service ${JSON.stringify(name)}`,
        problem: 'npx projen rejected the manifest (the problems are printed above), and .projenrc.ts changed while it ran, so it was not put back (that would lose the edit)',
        fix: `remove the ${name} entry from .projenrc.ts by hand, correct the options and run the command again`,
      });
    }
    writeFileAtomic(root, '.projenrc.ts', before);
    throw new CliError({ subject: `service ${JSON.stringify(name)}`, problem: 'npx projen rejected the manifest (the problems are printed above); .projenrc.ts is back as it was and nothing was written', fix: 'correct the options and run the command again' });
  }
  throw new CliError({ subject: `service ${JSON.stringify(name)}`, problem: `projects/${name} was generated but npx projen then failed (see above); the entry stays in .projenrc.ts`, fix: 'correct the error above, then run "npx projen"' });
}

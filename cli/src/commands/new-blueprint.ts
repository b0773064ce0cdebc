import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { KEBAB_CASE, Problem } from '@fleet/contracts';
import { kindOf, NOT_SOURCE, PACKAGE_FOLDER, realpathOfClosestExisting, writeFileAtomic } from '@fleet/blueprints/files';
import { CliError } from '../errors';
import { findFleetRoot } from '../fleet-root';

export interface NewBlueprintOptions {
  /** Where to create the package. */
  dir?: string;
  /** Its npm package name. */
  package?: string;
}

/** The template `fleet new blueprint` copies: a working blueprint package (cli/templates/blueprint). */
export const BLUEPRINT_TEMPLATE = path.join(__dirname, '..', '..', 'templates', 'blueprint');

/** Where a fleet keeps its teams' blueprint packages (the Fleet's `blueprintPackages`). */
export const TEAM_BLUEPRINTS_DIR = 'team-blueprints';

/** An npm package name, optionally scoped (lowercase; no spaces or quotes, so it can be written into code). */
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/** `fleet new blueprint <name>`: registered under `fleet new`. */
export function registerNewBlueprint(scaffold: Command): void {
  scaffold
    .command('blueprint')
    .summary('create a blueprint package (its own tests pass) to grow into your team\'s blueprint')
    .description([
      'Creates a blueprint package from the template: a blueprint built only on the public kit of @fleet/blueprints (a SingleStackProject generating a stack with one function run by a workflow on a jittered schedule, one table, an owned handler and its test), its registration in the manifest\'s types, its own tests, package.json with exact versions and tsconfig.',
      '',
      `Inside a fleet repository it goes to ${TEAM_BLUEPRINTS_DIR}/<name>; elsewhere to ./<name>. Nothing is overwritten: the folder must not exist or be empty. docs/writing-a-blueprint.md says how to grow it and add it to the fleet.`,
    ].join('\n'))
    .argument('<name>', 'the blueprint id: kebab-case, 3-40 characters (what manifest entries name in blueprint)')
    .option('--dir <folder>', `where to create the package (default: ${TEAM_BLUEPRINTS_DIR}/<name> in a fleet repository, else ./<name>)`)
    .option('--package <npm-name>', 'the npm package name (default: @fleet-teams/<name>-blueprint)')
    .addHelpText('after', ['', 'Examples:', '  npx fleet new blueprint nightly-report', '  npx fleet new blueprint billing-sync --package @acme/billing-sync-blueprint --dir blueprints-of-acme/billing-sync', ''].join('\n'))
    .action((name: string, options: NewBlueprintOptions) => {
      process.stdout.write(newBlueprint(name, options));
    });
}

/**
 * Globals the package's modules use or that a class or constant must not shadow: `JSON` as the
 * constant of a blueprint named "json" would shadow the `JSON.parse` that reads the package's
 * own version (a ReferenceError when the module loads).
 */
const GLOBALS = ['Array', 'BigInt', 'Boolean', 'Buffer', 'Date', 'Error', 'Function', 'Intl', 'JSON', 'Map', 'Math', 'Number', 'Object', 'Promise', 'Proxy', 'Reflect', 'RegExp', 'Set', 'String', 'Symbol', 'URL', 'WeakMap', 'WeakSet'];

/**
 * Problems with a (kebab-case) blueprint name beyond its form: a built-in blueprint's id (the
 * fleet would refuse the registration), or a class or constant name (`NightlyReport`,
 * `NIGHTLY_REPORT`) that the template's own code already declares or imports (`blueprint` ->
 * `Blueprint`, `package` -> `PACKAGE`) or a global: the package would not compile or load.
 */
function blueprintNameProblems(name: string, builtIn: readonly string[]): Problem[] {
  if (builtIn.includes(name)) {
    return [{ subject: 'blueprint name', problem: 'is the id of a built-in blueprint', value: name, fix: `choose another id, e.g. "${name}-custom"` }];
  }
  const used = new Set([...templateIdentifiers(BLUEPRINT_TEMPLATE), ...GLOBALS]);
  const clashes = [pascal(name), constantOf(name)].filter((identifier) => used.has(identifier));
  if (clashes.length === 0) return [];
  return [{
    subject: 'blueprint name',
    problem: `would name the package's ${clashes.join(' and ')}, which its own code already uses (an import, a declaration or a global)`,
    value: name,
    fix: `choose a more specific name, e.g. "${name}-job"`,
  }];
}

/** Every identifier in the template's TypeScript files (placeholders left out): what the generated code declares, imports and reads. */
function templateIdentifiers(dir: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts: typeof import('typescript') = require('typescript');
  const found = new Set<string>();
  for (const file of templateFiles(dir).filter((f) => f.endsWith('.ts'))) {
    const source = ts.createSourceFile(file, readFileSync(path.join(dir, file), 'utf-8'), ts.ScriptTarget.Latest, false);
    const visit = (node: import('typescript').Node): void => {
      if (ts.isIdentifier(node) && !node.text.includes('__')) found.add(node.text);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return [...found];
}

/** `nightly-report` -> `NIGHTLY_REPORT`, the blueprint constant. */
function constantOf(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/** `nightly-report` -> `NightlyReport`. */
function pascal(name: string): string {
  return name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

/** Creates the package; returns what to print. Every problem with the arguments at once, before anything is written. */
export function newBlueprint(name: string, options: NewBlueprintOptions = {}, cwd = process.cwd()): string {
  // Loaded here, not at start-up: the kit loads projen; only this command needs its versions.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const kit: typeof import('@fleet/blueprints') = require('@fleet/blueprints');
  const problems: Problem[] = [];
  if (!KEBAB_CASE.test(name) || name.length < 3 || name.length > 40) {
    problems.push({ subject: 'blueprint name', problem: 'must be kebab-case, 3-40 characters (lowercase letters, digits, single hyphens)', value: name, fix: 'e.g. "nightly-report"' });
  } else {
    problems.push(...blueprintNameProblems(name, kit.DEFAULT_BLUEPRINTS.map((b) => b.id)));
  }
  const packageName = options.package ?? `@fleet-teams/${name}-blueprint`;
  if (!PACKAGE_NAME.test(packageName) || packageName.length > 214) {
    problems.push({ subject: '--package', problem: 'must be an npm package name (lowercase letters, digits, ".", "_", "-", optionally @scope/)', value: packageName, fix: `e.g. --package @my-team/${KEBAB_CASE.test(name) ? name : 'my'}-blueprint` });
  } else if ((Object.values(kit.FLEET_PACKAGES) as string[]).includes(packageName) || packageName in kit.PINNED_VERSIONS) {
    // A workspace of that name exists already, and every service pins that package: the blueprint would stand in for it.
    problems.push({ subject: '--package', problem: 'is a package the fleet already has (its own or one it pins)', value: packageName, fix: `name your own package, e.g. --package @my-team/${KEBAB_CASE.test(name) ? name : 'my'}-blueprint` });
  }
  const fleetRoot = fleetRootOrUndefined(cwd);
  const target = path.resolve(cwd, options.dir ?? (fleetRoot ? path.join(fleetRoot, TEAM_BLUEPRINTS_DIR, name) : name));
  const shown = path.relative(cwd, target) || '.';
  const kind = kindOf(target);
  if (kind === 'directory' && readdirSync(target).length > 0) {
    problems.push({ subject: '--dir', problem: `${shown} already exists and is not empty`, value: shown, fix: 'choose another --dir, or move that folder away first (nothing is overwritten)' });
  } else if (kind !== 'missing' && kind !== 'directory') {
    problems.push({ subject: '--dir', problem: `${shown} is ${kind === 'symlink' ? 'a symbolic link' : 'a file'}, not a folder`, value: shown, fix: 'choose a folder that does not exist yet, or an empty one (nothing is overwritten)' });
  }
  if (fleetRoot) {
    // The folder goes into the manifest's blueprintPackages, which takes plain folders of this repository only.
    const folder = path.relative(realpathOfClosestExisting(fleetRoot), realpathOfClosestExisting(target)).split(path.sep).join('/');
    if (!PACKAGE_FOLDER.test(folder) || folder.split('/').some((segment) => [...NOT_SOURCE, 'projects'].includes(segment))) {
      problems.push({
        subject: '--dir',
        problem: `must be a folder inside the fleet repository ${fleetRoot} (not under projects/ or node_modules/), of letters, digits, ".", "_", "-" and "/": the manifest's blueprintPackages lists it`,
        value: options.dir,
        fix: `leave --dir out for ${TEAM_BLUEPRINTS_DIR}/${KEBAB_CASE.test(name) ? name : '<name>'}, or run the command outside the fleet repository`,
      });
    }
  }
  if (problems.length > 0) throw new CliError(problems);

  const tokens: Record<string, string> = {
    __PACKAGE__: packageName,
    __NAME__: name,
    __CLASS__: pascal(name),
    __CONST__: constantOf(name),
    __FLEET_VERSION__: kit.BLUEPRINTS_VERSION,
    __V_TYPES_JEST__: kit.PINNED_VERSIONS['@types/jest'],
    __V_TYPES_NODE__: kit.PINNED_VERSIONS['@types/node'],
    __V_JEST__: kit.PINNED_VERSIONS.jest,
    __V_TS_JEST__: kit.PINNED_VERSIONS['ts-jest'],
    __V_TYPESCRIPT__: kit.PINNED_VERSIONS.typescript,
  };
  const fill = (text: string) => text.replace(/__[A-Z_]+__/g, (token) => tokens[token] ?? token);
  const files = templateFiles(BLUEPRINT_TEMPLATE);
  for (const file of files) {
    // `_gitignore`: npm pack would drop a file named .gitignore from the CLI's own package.
    const relative = fill(file).replace(/(^|\/)_gitignore$/, '$1.gitignore');
    writeFileAtomic(target, relative, fill(readFileSync(path.join(BLUEPRINT_TEMPLATE, file), 'utf-8')));
  }
  const folder = path.relative(fleetRoot ?? cwd, target).split(path.sep).join('/');
  const next = fleetRoot
    ? [
      `Next (docs/writing-a-blueprint.md):`,
      `  1. In .projenrc.ts, add '${folder}' to blueprintPackages and run npx projen: it installs the package as a workspace and builds it.`,
      `  2. Import { ${tokens.__CONST__} } from '${packageName}', add it to blueprints, declare a service with blueprint: '${name}', and run npx projen.`,
      `  The blueprint's own tests: cd ${shown} && npm test.`,
    ]
    : [`Next: cd ${shown} && npm install && npm test (docs/writing-a-blueprint.md in the fleet repository says how to grow it).`];
  return [`Created the blueprint package ${packageName} in ${shown}/ (${files.length} files).`, ...next, ''].join('\n');
}

function fleetRootOrUndefined(cwd: string): string | undefined {
  try {
    return findFleetRoot(cwd);
  } catch (error) {
    if (error instanceof CliError) return undefined;
    throw error;
  }
}

/** Every file of the template, relative, sorted. */
function templateFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? templateFiles(dir, rel) : [rel];
  }).sort();
}

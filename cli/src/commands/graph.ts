import { WORKFLOW_DIAGRAM_FILE } from '@fleet/contracts';
import { existsSync, readFileSync } from 'fs';
import { displayPath, folderProblem, pathProblem, PathRefusal, UnsafePathError, writeFileAtomic } from '@fleet/blueprints/files';
import * as path from 'path';
import { Command } from 'commander';
import { toMermaid } from '@fleet/workflows';
import { validateDefinition } from '@fleet/workflows/local';
import { CliError } from '../errors';
import { findFleetRoot, listServices, serviceDir } from '../fleet-root';
import { loadServiceDefinition } from '../graph/service-definition';

/** The team-owned workflow of a step-functions-service; projects without it have nothing to draw. */
export const WORKFLOW_SOURCE_FILE = 'src/workflow.ts';

/** The services of the fleet at `root` that have a workflow (`src/workflow.ts`). */
export function servicesWithWorkflow(root: string): string[] {
  return listServices(root).filter((service) => existsSync(path.join(root, 'projects', service, WORKFLOW_SOURCE_FILE)));
}

/** Where `--write` puts a service's diagram: the team's file (the managed README links to it, never reads it). */
export { WORKFLOW_DIAGRAM_FILE };

export interface GraphOptions {
  definition?: string;
  write?: boolean;
}

/** `fleet graph`: a workflow as a Mermaid flowchart. */
export function registerGraph(program: Command): void {
  program
    .command('graph')
    .summary('draw a service workflow (or an ASL file) as a Mermaid flowchart')
    .description(
      [
        'Prints the state machine of <service> as a Mermaid `flowchart TD` (GitHub renders Mermaid in Markdown). '
        + 'The service stack is built in this process from projects/<service>/src/stack.ts (nothing is deployed, no cloud '
        + 'assembly is written) and its definition is validated, then drawn: Task rectangles, Choice diamonds, Pass '
        + 'parallelograms, Wait hexagons, Succeed/Fail stadiums, Parallel and Map as subgraphs. Choice edges carry a short '
        + 'form of their condition; Catch edges are dashed and carry the error names.',
        '',
        `--write saves it to projects/<service>/${WORKFLOW_DIAGRAM_FILE}, which the service README links to; only this `
        + 'command writes it and regeneration never reads it (no npx projen needed afterwards). A root test fails when that file is stale.',
      ].join('\n'),
    )
    .argument('[service]', 'a service under projects/ (for example scan-ingest)')
    .option('--definition <file>', 'draw this Amazon States Language file (JSON) instead of a service workflow')
    .option('--write', `write projects/<service>/${WORKFLOW_DIAGRAM_FILE} instead of printing`)
    .addHelpText('after', [
      '',
      'Examples:',
      '  npx fleet graph scan-ingest',
      '  npx fleet graph scan-ingest --write',
      '  npx fleet graph --definition order.asl.json > order.mmd',
    ].join('\n'))
    .action((service: string | undefined, options: GraphOptions) => {
      process.stdout.write(runGraph(service, options));
    });
}

/** What `fleet graph` prints for these arguments (writing the file first with `--write`). */
export function runGraph(service: string | undefined, options: GraphOptions, cwd: string = process.cwd()): string {
  if (options.definition !== undefined) {
    if (service !== undefined) {
      throw new CliError({ subject: 'fleet graph', problem: 'takes a service or --definition, not both', value: [service, `--definition ${options.definition}`], fix: 'drop one of them' });
    }
    if (options.write) {
      throw new CliError({
        subject: 'fleet graph --write',
        problem: `saves a service's diagram to projects/<service>/${WORKFLOW_DIAGRAM_FILE} and cannot be used with --definition`,
        value: options.definition,
        fix: `redirect the output instead: npx fleet graph --definition ${options.definition} > diagram.mmd`,
      });
    }
    return toMermaid(readDefinitionFile(path.resolve(cwd, options.definition)));
  }
  if (service === undefined) {
    throw new CliError({ subject: 'fleet graph', problem: 'needs a service or --definition <file>', fix: 'name one, e.g. npx fleet graph scan-ingest (see npx fleet graph --help)' });
  }
  const root = findFleetRoot(cwd);
  const dir = serviceDir(root, service);
  if (!existsSync(path.join(dir, WORKFLOW_SOURCE_FILE))) {
    const drawable = servicesWithWorkflow(root);
    throw new CliError({
      subject: `Service ${JSON.stringify(service)}`,
      problem: `has no workflow to draw: projects/${service}/${WORKFLOW_SOURCE_FILE} does not exist (only step-functions-service services have one)`,
      value: service,
      fix: `use one of ${drawable.map((s) => `"${s}"`).join(', ') || '(none)'}`,
    });
  }
  const file = path.join(dir, WORKFLOW_DIAGRAM_FILE);
  // Where --write would write is checked before the stack is built (seconds of synthesis), by
  // the same rules the write applies again: inside the service by real path, no link, a file.
  const refusal = options.write ? unsafeTarget(root, dir) : undefined;
  if (refusal) throw CliError.wrap('fleet graph --write', new UnsafePathError([refusal]));
  const diagram = toMermaid(loadServiceDefinition(dir, service));
  if (!options.write) return diagram;
  // Whole, inside the service folder, never through a link (the fleet's one write layer).
  try {
    const folder = folderProblem(root, dir);
    if (folder) throw new UnsafePathError([{ path: displayPath(dir), problem: folder }]);
    writeFileAtomic(dir, WORKFLOW_DIAGRAM_FILE, diagram);
  } catch (error) {
    // The refusal is already in the fleet's format (every path, then the fix).
    if (error instanceof UnsafePathError) throw CliError.wrap('fleet graph --write', error);
    throw error;
  }
  return `Wrote ${path.relative(root, file)} (the README of ${service} links to it).\n`;
}

/** Why the diagram of the service in `dir` cannot be written there, or undefined. */
function unsafeTarget(root: string, dir: string): PathRefusal | undefined {
  const folder = folderProblem(root, dir);
  if (folder) return { path: displayPath(dir), problem: folder };
  const file = pathProblem(dir, WORKFLOW_DIAGRAM_FILE);
  return file ? { path: displayPath(path.join(dir, WORKFLOW_DIAGRAM_FILE)), problem: file } : undefined;
}

/** Reads and validates an ASL file; every problem is reported with where it is. */
function readDefinitionFile(file: string): object {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError({ subject: `--definition ${file}`, problem: 'cannot be read', value: (error as NodeJS.ErrnoException).code ?? (error as Error).message, fix: 'pass the path of an Amazon States Language JSON file' });
  }
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    throw new CliError({ subject: `--definition ${file}`, problem: 'is not JSON', value: (error as Error).message, fix: 'pass an Amazon States Language JSON file' });
  }
  const problems = validateDefinition(definition as object);
  if (problems.length > 0) {
    throw new CliError(problems.map((p) => ({ subject: `--definition ${file}, ${p.path}`, problem: p.message, fix: 'correct the definition (the same checks run when a service synthesizes)' })));
  }
  return definition as object;
}

import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { CliError } from '../errors';
import { isServiceFolder, locateService } from '../fleet-root';
import { duration, indent, jsonReplacer, traceTable } from '../print';
import { listOf } from '../service-stack';
import { synthesizedService } from '../synthesis-cache';

/** What `--json` prints as the last line. */
export interface RunSummary {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly output: unknown;
  readonly error: string | null;
  readonly cause: string | null;
}

interface RunOptions {
  readonly input?: string;
  readonly definition?: string;
  readonly mockConfig?: string;
  readonly testCase?: string;
  readonly name?: string;
  readonly seed?: string;
  readonly logLevel?: string;
  readonly json?: boolean;
  readonly history?: boolean;
}

const EXAMPLES = `
Examples:
  $ npx fleet run scan-ingest --input projects/scan-ingest/events/scan-uploaded.json
      runs the service's state machine with its real handlers and an embedded DynamoDB
  $ npx fleet run shift-reports --input projects/shift-reports/events/shift-ended.json
      also writes the items of events/seed/shift-ended.json before the run (or give --seed <file>)
  $ npx fleet run --definition order.asl.json --input in.json --mock-config mocks.json --test-case HappyPath
      runs any ASL file; mocks in Step Functions Local's format, machine named "order" (--name to change)
  $ npx fleet run scan-ingest --input event.json --json | tail -n 1 | jq .status
  $ npx fleet run scan-ingest --input event.json --history
      also prints the execution history as GetExecutionHistory returns it (event ids, virtual timestamps)

Exit status: 0 when the execution SUCCEEDED, 1 when it FAILED or TIMED_OUT or the command could not run.`;

/** `fleet run`: executes a service's workflow, or any ASL file, locally. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .summary('run a workflow locally with real handlers and an embedded DynamoDB')
    .description(
      [
        'Run a service\'s state machine on this machine: no AWS account, no Docker, no Java.',
        '',
        'With <service>: synthesizes projects/<service>/src/stack.ts, runs every Lambda task\'s real',
        'handler in-process and sends DynamoDB calls to an embedded in-memory server holding the',
        'stack\'s tables. PutEvents (the failure report) is recorded, not sent. Waits and retry',
        'back-off take virtual time. Prints the trace, the output and the items in each table.',
        '',
        'With --definition: runs any Amazon States Language file; tasks need --mock-config.',
      ].join('\n'),
    )
    .argument('[service]', 'a service under projects/ (omit with --definition, or inside a service folder)')
    .option('-i, --input <file>', 'JSON file with the execution input (default: {})')
    .option('-d, --definition <file>', 'run this ASL definition (JSON) instead of a service')
    .option('-m, --mock-config <file>', 'Step Functions Local mock configuration file (needs --test-case)')
    .option('-t, --test-case <name>', 'test case of the mock configuration')
    .option('-n, --name <name>', 'state machine name in the mock configuration (default: the definition file\'s base name, or the service name)')
    .option('-s, --seed <file>', 'JSON items to write before the run: { "<table logical id or construct path>": [items] }, or [items] for the only table (default: seed/<input file name> beside the input, when it exists)')
    .option('--log-level <level>', 'POWERTOOLS_LOG_LEVEL of the handlers (default: $POWERTOOLS_LOG_LEVEL, else WARN)')
    .option('--json', 'print {"status","output","error","cause"} as the last line')
    .option('--history', 'print the execution history, as GetExecutionHistory returns it ({"events": [...]}), after the trace')
    .addHelpText('after', EXAMPLES)
    .action(async (service: string | undefined, options: RunOptions) => {
      const summary = await run(service, options);
      process.exitCode = summary.status === 'SUCCEEDED' ? 0 : 1;
    });
}

async function run(service: string | undefined, options: RunOptions): Promise<RunSummary> {
  if (service !== undefined && options.definition !== undefined) {
    throw new CliError(`fleet run: give a service or --definition, not both (got service ${JSON.stringify(service)} and --definition ${JSON.stringify(options.definition)}). Fix: drop one of them.`);
  }
  if (service === undefined && options.definition === undefined && !isServiceFolder(process.cwd())) {
    throw new CliError('fleet run: nothing to run. Fix: name a service (fleet run scan-ingest --input event.json), give --definition <file.asl.json>, or run inside a service folder.');
  }
  if (options.testCase !== undefined && options.mockConfig === undefined) {
    throw new CliError(`fleet run: --test-case ${JSON.stringify(options.testCase)} needs --mock-config. Fix: add --mock-config <file>.`);
  }
  // The SDK's Node.js support notice is about future SDK releases, not this local run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const input = options.input === undefined ? {} : readJson(options.input, '--input', 'the execution input');
  const mockConfig = options.mockConfig === undefined ? undefined : readJson(options.mockConfig, '--mock-config', 'a Step Functions Local mock configuration') as Record<string, any>;
  // The runner alone: a warm run (the synthesis cache's hit) loads no aws-cdk-lib, esbuild or typescript.
  const workflows = await import('@fleet/workflows/local-run');
  const started = Date.now();

  let result: import('@fleet/workflows/local-run').WorkflowRun | import('@fleet/workflows/local').ExecutionResult;
  let title: string;
  if (options.definition !== undefined) {
    const definition = readJson(options.definition, '--definition', 'an Amazon States Language definition');
    const name = options.name ?? path.basename(options.definition).replace(/(\.asl)?\.json$/i, '');
    if (mockConfig) checkTestCase(mockConfig, name, options);
    title = `${options.definition} (state machine ${JSON.stringify(name)}${options.testCase ? `, test case ${JSON.stringify(options.testCase)}` : ''})`;
    const { runExecution } = await import('@fleet/workflows/local');
    result = await guard(() => runExecution(definition as object, input, { stateMachineName: name, mockConfig, testCase: options.testCase }));
  } else {
    const located = locateService(service);
    const dir = located.dir;
    service = located.name;
    if (options.input === undefined) {
      const hint = sampleEventsHint(dir, service!);
      if (hint) process.stderr.write(`${hint}\n`);
    }
    const seedFile = options.seed ?? conventionalSeed(options.input);
    const seed = seedFile === undefined ? undefined : readJson(seedFile, '--seed', 'items by table') as Record<string, any[]> | any[];
    if (seedFile !== undefined && options.seed === undefined) process.stdout.write(`Seeding the tables from ${seedFile} (the input's seed file)\n`);
    // From the synthesis cache: a warm run builds no stack at all.
    const { service: stack } = synthesizedService(dir, service!);
    const file = path.join(dir, 'src', 'main.ts');
    if (mockConfig) checkTestCase(mockConfig, options.name ?? Object.keys(mockConfig.StateMachines ?? {})[0] ?? service!, options);
    title = `${service} (buildStack in ${path.relative(process.cwd(), file)})`;
    const hint = await guard(async () => routingHint(workflows.routesFor(stack, input), input as Record<string, unknown>, service!, options.input));
    if (hint) process.stdout.write(`${hint}\n\n`);
    result = await guard(() => workflows.runWorkflow(stack, input, {
      seed,
      mockConfig,
      testCase: options.testCase,
      stateMachineName: options.name,
      logLevel: options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    }));
  }

  printRun(title, result, Date.now() - started);
  if (options.history) {
    process.stdout.write(`\nExecution history (GetExecutionHistory, ${result.history.length} events):\n${JSON.stringify({ events: result.history }, null, 2)}\n`);
  }
  const summary: RunSummary = {
    status: result.status,
    output: result.output ?? null,
    error: result.error ?? null,
    cause: result.cause ?? null,
  };
  if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  return summary;
}

/**
 * `fleet run` runs one workflow with any input. When the input is an EventBridge event that the
 * service's own rules deliver elsewhere (a function) or nowhere, say so: in AWS it would never
 * start this state machine, and `fleet send` delivers it as AWS would.
 */
function routingHint(routes: import('@fleet/workflows/local-run').MatchedRoute[] | undefined, event: Record<string, unknown>, service: string, inputFile: string | undefined): string | undefined {
  if (routes === undefined || routes.some((r) => r.kind === 'state-machine')) return undefined;
  const what = `this ${JSON.stringify(event['detail-type'])} event from ${String(event.source)}`;
  const where = routes.length === 0
    ? `no rule of ${service} matches it`
    : routes.map((r) => `its rule ${r.rule} sends it to ${r.kind === 'lambda' ? `function ${r.handlerName ?? r.logicalId}` : r.arn}`).join('; ');
  return [
    `Note: in AWS, ${what} does not start ${service}'s state machine: ${where}. This run starts the state machine with it anyway.`,
    `To deliver it as AWS would: npx fleet send --service ${service} --event ${inputFile ?? '<event.json>'}`,
  ].join('\n');
}

/** Setup mistakes of the runtime (bad mock file, unresolvable template value) are the user's to fix. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const name = (error as Error)?.name;
    if (name === 'LocalRuntimeConfigError' || name === 'DefinitionError') throw new CliError((error as Error).message);
    throw error;
  }
}

/** `events/seed/<name>.json` beside `events/<name>.json`: the items a sample event assumes are there. */
function conventionalSeed(input: string | undefined): string | undefined {
  if (input === undefined) return undefined;
  const candidate = path.join(path.dirname(input), 'seed', path.basename(input));
  return existsSync(candidate) ? candidate : undefined;
}

/**
 * Without --input the workflow runs on `{}`, which most workflows reject (States.Runtime on a
 * missing path): name the service's sample events instead of leaving the user guessing.
 */
export function sampleEventsHint(dir: string, service: string, cwd: string = process.cwd()): string | undefined {
  const events = path.join(dir, 'events');
  if (!existsSync(events) || !statSync(events).isDirectory()) return undefined;
  const samples = readdirSync(events).filter((name) => name.endsWith('.json')).sort();
  if (samples.length === 0) return undefined;
  const paths = samples.map((name) => path.relative(cwd, path.join(events, name)) || name);
  return `fleet run ${service}: no --input, so the workflow runs on {}. The service's sample events: ${paths.join(', ')}. Fix: pass one, e.g. --input ${paths[0]}.`;
}

export function readJson(file: string, option: string, what: string): unknown {
  const full = path.resolve(file);
  if (!existsSync(full)) {
    throw new CliError(`${option} ${JSON.stringify(file)}: no such file (looked at ${full}). Fix: give the path of ${what}, relative to ${process.cwd()} or absolute.`);
  }
  if (statSync(full).isDirectory()) {
    const json = readdirSync(full).filter((name) => name.endsWith('.json')).sort();
    const example = json.length > 0 ? `, e.g. ${path.join(file, json[0])}` : '';
    throw new CliError(`${option} ${JSON.stringify(file)}: is a folder, not a file. Fix: give the path of one JSON file with ${what}${example}.`);
  }
  const text = readFileSync(full, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${option} ${JSON.stringify(file)}: not valid JSON (${(error as Error).message}). Fix: make the file ${what} in JSON.`);
  }
}

function checkTestCase(mockConfig: Record<string, any>, machineName: string, options: RunOptions): void {
  if (options.testCase === undefined) {
    throw new CliError(`--mock-config ${JSON.stringify(options.mockConfig)} needs --test-case. Fix: add --test-case <name>, one of ${listOf(Object.keys(mockConfig.StateMachines?.[machineName]?.TestCases ?? {}))}.`);
  }
  const machines = mockConfig.StateMachines ?? {};
  if (!(machineName in machines)) {
    throw new CliError(`--mock-config ${JSON.stringify(options.mockConfig)} has no state machine ${JSON.stringify(machineName)} under StateMachines. Fix: pass --name with one of ${listOf(Object.keys(machines))}, or rename the machine in the file.`);
  }
  const cases = machines[machineName].TestCases ?? {};
  if (!(options.testCase in cases)) {
    throw new CliError(`--test-case ${JSON.stringify(options.testCase)} is not a test case of ${JSON.stringify(machineName)} in ${options.mockConfig}. Fix: use one of ${listOf(Object.keys(cases))}.`);
  }
}

type AnyRun = { status: string; output?: unknown; error?: string; cause?: string; trace: any[]; events?: any[]; tableSnapshots?: { name: string; path: string; items: any[] }[] };

function printRun(title: string, result: AnyRun, realMs: number): void {
  const out: string[] = [];
  out.push(`Run of ${title}`, '');
  out.push(...traceTable(result.trace), '');
  out.push(`${result.status}${result.error ? `: ${result.error}` : ''} after ${duration(realMs)} real time${result.tableSnapshots ? ', synthesis included' : ''} (virtual ${result.trace.length ? `${result.trace[0].enteredTime} .. ${result.trace[result.trace.length - 1].exitedTime}` : '-'})`);
  if (result.cause) out.push(`Cause: ${result.cause}`);
  out.push('', 'Output:', indent(JSON.stringify(result.output ?? null, jsonReplacer, 2)));
  for (const t of result.tableSnapshots ?? []) {
    out.push('', `DynamoDB table ${t.name} (${t.path.replace(/\/Resource$/, '')}): ${t.items.length} item${t.items.length === 1 ? '' : 's'}`);
    for (const item of t.items) out.push(`  ${JSON.stringify(item, jsonReplacer)}`);
  }
  if (result.events?.length) {
    out.push('', `Events sent (recorded, not delivered): ${result.events.length}`);
    for (const e of result.events) out.push(`  ${JSON.stringify(e, jsonReplacer)}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

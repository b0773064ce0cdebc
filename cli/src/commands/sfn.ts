import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { CliError } from '../errors';
import { locateService } from '../fleet-root';
import { synthesizedService } from '../synthesis-cache';

interface ServeOptions {
  readonly port: string;
  readonly mockConfig?: string;
}

const EXAMPLES = `
Examples:
  $ npx fleet sfn serve scan-ingest
      serves the Step Functions API on http://127.0.0.1:8083 with scan-ingest's state machine
      registered; its Lambda tasks run the service's real handlers against an embedded DynamoDB
  $ npx fleet sfn serve --port 0 --mock-config mocks.json
      an empty endpoint on a free port; create state machines with CreateStateMachine and pick a
      mock test case by starting <state machine ARN>#<TestCase>

Point @aws-sdk/client-sfn at it:
  new SFNClient({ endpoint: 'http://127.0.0.1:8083', region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, disableHostPrefix: true })

Runs until interrupted (Ctrl-C). Executions run in virtual time: a one-day Wait ends at once.`;

/** `fleet sfn serve`: the Step Functions API on localhost, over the local runtime. */
export function registerSfn(program: Command): void {
  const sfn = program.command('sfn').summary('the Step Functions API on localhost, over the local runtime');
  sfn
    .command('serve')
    .summary('serve the Step Functions API (awsJson1_0) on localhost')
    .description(
      [
        'Serve the Step Functions API on localhost so @aws-sdk/client-sfn, with an endpoint override, drives',
        'local executions: CreateStateMachine, Describe/List/DeleteStateMachine, StartExecution,',
        'StartSyncExecution, DescribeExecution, GetExecutionHistory, ListExecutions, StopExecution,',
        'RedriveExecution, SendTaskSuccess/Failure/Heartbeat and TestState. No AWS account, Docker or Java.',
        '',
        'With <service>: registers the service\'s state machine (named after the service) as synthesized,',
        'and runs its Lambda tasks with the real handlers, DynamoDB calls going to an embedded server.',
      ].join('\n'),
    )
    .argument('[service]', 'a service under projects/ whose workflow to register (omit for an empty endpoint)')
    .option('-p, --port <port>', 'port on 127.0.0.1; 0 picks a free one', '8083')
    .option('-m, --mock-config <file>', 'Step Functions Local mock configuration; start <ARN>#<TestCase> to use a test case')
    .addHelpText('after', EXAMPLES)
    .action(async (service: string | undefined, options: ServeOptions) => {
      await serve(service, options);
    });
}

async function serve(service: string | undefined, options: ServeOptions): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError({ subject: 'fleet sfn serve --port', problem: 'must be a port number from 0 to 65535', value: options.port, fix: 'give e.g. --port 8083, or --port 0 for a free one' });
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const mockConfig = options.mockConfig === undefined ? undefined : readMockConfig(options.mockConfig);
  const workflows = await import('@fleet/workflows');
  // The API server is not in the package index: service CDK apps never load it.
  const api = await import('@fleet/workflows/local/api');

  let runtime: import('@fleet/workflows').ServiceWorkflowRuntime | undefined;
  if (service !== undefined) {
    const located = locateService(service);
    const { service: stack } = synthesizedService(located.dir, located.name);
    runtime = await guard(() => workflows.serviceWorkflowRuntime(stack, { logLevel: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN' }));
  }
  const sfnService = new api.SfnService({ mockConfig, runOptions: () => runtime?.runOptions ?? {} });
  const registered = runtime ? sfnService.register(runtime.name, runtime.definition) : undefined;
  const server = await guard(() => api.startSfnApiServer({ port, service: sfnService }));

  const lines = [`Step Functions API on ${server.url}`];
  if (registered) lines.push(`State machine ${registered} (${service}, real handlers, embedded DynamoDB)`);
  if (mockConfig) lines.push(`Mock test cases: start <state machine ARN>#<TestCase> (${options.mockConfig})`);
  lines.push('Press Ctrl-C to stop.');
  process.stdout.write(`${lines.join('\n')}\n`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await runtime?.close();
}

function readMockConfig(file: string): Record<string, unknown> {
  const full = path.resolve(file);
  if (!existsSync(full)) {
    throw new CliError({ subject: `--mock-config ${JSON.stringify(file)}`, problem: `is no such file (looked at ${full})`, fix: 'give the path of a Step Functions Local mock configuration' });
  }
  try {
    return JSON.parse(readFileSync(full, 'utf8'));
  } catch (error) {
    throw new CliError({ subject: `--mock-config ${JSON.stringify(file)}`, problem: 'is not valid JSON', value: (error as Error).message, fix: 'make the file a Step Functions Local mock configuration in JSON' });
  }
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const name = (error as Error)?.name;
    if (name === 'LocalRuntimeConfigError' || name === 'DefinitionError') throw new CliError((error as Error).message);
    throw error;
  }
}

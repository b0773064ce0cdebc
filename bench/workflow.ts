/**
 * bench:workflow — executions per second of our local Step Functions runtime, against
 * `aws-local-stepfunctions`, on the same 10-state workflow, in the same process.
 *
 *   npm run bench:workflow                      # 1,000 executions per engine, 5 rounds, appends to docs/benchmarks.md
 *   npm run bench:workflow -- --executions 200 --rounds 1 --no-record
 *   npm run bench:workflow -- --baseline 6ae520f   # also the runtime of another commit, compiled the same way
 *
 * What runs: both engines as compiled JavaScript. Ours is `workflows/lib/local` (what the
 * package's `exports` give services and the CLI; `npx projen build:packages` writes it, and the
 * harness refuses a `lib` older than `workflows/src/local`), aws-local-stepfunctions its
 * published `build/`. The harness itself runs under tsx, which turns on source-mapped stack
 * traces for the whole process: they are turned off again before measuring, so that no engine
 * pays for maps of code it does not run. Each engine is warmed up; rounds are interleaved; a
 * full garbage collection runs before every measurement, so one engine's garbage is not
 * collected on the next one's clock.
 *
 * The workflow (JSONPath): Task `Validate order` -> Pass `Shape order` (Parameters) -> Task
 * `Price order` -> Choice `Large order?` -> (total > 100) Wait `Hold for review` (1 hour) ->
 * Task `Reserve stock` (throws StockServiceBusy on its first attempt: one Retry fires) -> Pass
 * `Mark reserved` -> Task `Notify customer` -> Pass `Format receipt` (States.Format) -> Succeed
 * `Done`. Half of the orders are large, so half of the executions wait. Task handlers are
 * in-process functions on both engines (ours: by Lambda function name; aws-local-stepfunctions:
 * `taskResourceLocalHandlers` by state name). The same workflow in JSONata (Arguments, Output,
 * Assign, Condition, a variable) runs on ours only: aws-local-stepfunctions ignores JSONata.
 *
 * Time: ours runs Waits and retry back-off in virtual time. aws-local-stepfunctions really
 * sleeps, so its Wait is overridden to 0 ms (`waitTimeOverrides`) and its retry interval to
 * 0 ms (`retryIntervalOverrides`); without them each large order would take an hour.
 * aws-local-stepfunctions 3.0.0 needs Node >= 22 for `Promise.withResolvers`, polyfilled below
 * for this process only.
 */
import { execFileSync, execSync } from 'child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { cpus, loadavg } from 'os';
import * as path from 'path';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import * as ts from 'typescript';
import type { LocalStateMachine } from '../workflows/src/local';

const REPO = path.resolve(__dirname, '..');
const LOCAL_SOURCES = path.join(REPO, 'workflows', 'src', 'local');
const LOCAL_LIB = path.join(REPO, 'workflows', 'lib', 'local');
const BENCHMARKS_MD = path.join(REPO, 'docs', 'benchmarks.md');
const SECTION = '## bench:workflow';

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** The 10-state workflow, JSONPath. */
const JSONPATH_WORKFLOW = {
  Comment: 'bench:workflow sample (JSONPath)',
  StartAt: 'Validate order',
  States: {
    'Validate order': { Type: 'Task', Resource: fn('validate-order'), Next: 'Shape order' },
    'Shape order': {
      Type: 'Pass',
      Parameters: { 'orderId.$': '$.orderId', 'customer.$': '$.customer.email', 'lines.$': '$.lines', 'lineCount.$': 'States.ArrayLength($.lines)' },
      Next: 'Price order',
    },
    'Price order': { Type: 'Task', Resource: fn('price-order'), ResultPath: '$.pricing', Next: 'Large order?' },
    'Large order?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.pricing.total', NumericGreaterThan: 100, Next: 'Hold for review' }],
      Default: 'Reserve stock',
    },
    'Hold for review': { Type: 'Wait', Seconds: 3600, Next: 'Reserve stock' },
    'Reserve stock': {
      Type: 'Task', Resource: fn('reserve-stock'), ResultPath: '$.reservation', Next: 'Mark reserved',
      Retry: [{ ErrorEquals: ['StockServiceBusy'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
    },
    'Mark reserved': { Type: 'Pass', Result: 'reserved', ResultPath: '$.status', Next: 'Notify customer' },
    'Notify customer': { Type: 'Task', Resource: fn('notify-customer'), ResultPath: '$.notification', Next: 'Format receipt' },
    'Format receipt': {
      Type: 'Pass',
      Parameters: {
        'orderId.$': '$.orderId', 'status.$': '$.status', 'reservationId.$': '$.reservation.reservationId',
        'receipt.$': "States.Format('Order {} for {}: {} lines, total {}', $.orderId, $.customer, $.lineCount, $.pricing.total)",
      },
      Next: 'Done',
    },
    'Done': { Type: 'Succeed' },
  },
};

/** The same workflow in JSONata, with a variable. */
const JSONATA_WORKFLOW = {
  Comment: 'bench:workflow sample (JSONata)',
  QueryLanguage: 'JSONata',
  StartAt: 'Validate order',
  States: {
    'Validate order': { Type: 'Task', Resource: fn('validate-order'), Next: 'Shape order' },
    'Shape order': {
      Type: 'Pass',
      Output: {
        orderId: '{% $states.input.orderId %}', customer: '{% $states.input.customer.email %}',
        lines: '{% $states.input.lines %}', lineCount: '{% $count($states.input.lines) %}',
      },
      Assign: { orderId: '{% $states.input.orderId %}' },
      Next: 'Price order',
    },
    'Price order': { Type: 'Task', Resource: fn('price-order'), Output: '{% $merge([$states.input, {"pricing": $states.result}]) %}', Next: 'Large order?' },
    'Large order?': {
      Type: 'Choice',
      Choices: [{ Condition: '{% $states.input.pricing.total > 100 %}', Next: 'Hold for review' }],
      Default: 'Reserve stock',
    },
    'Hold for review': { Type: 'Wait', Seconds: 3600, Next: 'Reserve stock' },
    'Reserve stock': {
      Type: 'Task', Resource: fn('reserve-stock'), Output: '{% $merge([$states.input, {"reservation": $states.result}]) %}', Next: 'Mark reserved',
      Retry: [{ ErrorEquals: ['StockServiceBusy'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
    },
    'Mark reserved': { Type: 'Pass', Output: '{% $merge([$states.input, {"status": "reserved"}]) %}', Next: 'Notify customer' },
    'Notify customer': { Type: 'Task', Resource: fn('notify-customer'), Output: '{% $merge([$states.input, {"notification": $states.result}]) %}', Next: 'Format receipt' },
    'Format receipt': {
      Type: 'Pass',
      Output: {
        orderId: '{% $orderId %}', status: '{% $states.input.status %}', reservationId: '{% $states.input.reservation.reservationId %}',
        receipt: '{% "Order " & $orderId & " for " & $states.input.customer & ": " & $string($states.input.lineCount) & " lines, total " & $string($states.input.pricing.total) %}',
      },
      Next: 'Done',
    },
    'Done': { Type: 'Succeed' },
  },
};

interface Order {
  orderId: string;
  customer: { email: string };
  lines: { sku: string; quantity: number; unitPrice: number }[];
}

function orders(count: number, round: string): Order[] {
  return Array.from({ length: count }, (_, i) => ({
    orderId: `${round}-${i}`,
    customer: { email: `customer-${i % 97}@example.com` },
    // Even orders total 150 (large: they wait an hour), odd ones 50.
    lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 30 }, { sku: 'SKU-2', quantity: 2, unitPrice: i % 2 === 0 ? 60 : 10 }],
  }));
}

/** The in-process handlers, shared by both engines. `Reserve stock` fails once per order. */
function handlers() {
  const attempts = new Map<string, number>();
  return {
    'validate-order': (order: Order) => {
      if (!order.orderId || order.lines.length === 0) throw Object.assign(new Error('empty order'), { name: 'InvalidOrder' });
      return order;
    },
    'price-order': (input: { lines: Order['lines'] }) => ({
      total: input.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0),
      currency: 'EUR',
    }),
    'reserve-stock': (input: { orderId: string }) => {
      const attempt = (attempts.get(input.orderId) ?? 0) + 1;
      attempts.set(input.orderId, attempt);
      if (attempt === 1) throw Object.assign(new Error('stock service busy, try again'), { name: 'StockServiceBusy' });
      return { reservationId: `r-${input.orderId}` };
    },
    'notify-customer': (input: { customer: string }) => ({ sentTo: input.customer }),
  };
}

type Runner = (input: Order) => Promise<unknown>;

function ours(definition: object, runtime: typeof LocalStateMachine): Runner {
  const machine = runtime.compile(definition);
  const taskHandlers = handlers();
  return async (input) => {
    const result = await machine.run(input, { taskHandlers, startTime: '2025-01-01T00:00:00Z', seed: 1 });
    if (result.status !== 'SUCCEEDED') throw new Error(`ours: execution failed: ${result.error}: ${result.cause}`);
    return result.output;
  };
}

function awsLocalStepFunctions(definition: object): Runner {
  // aws-local-stepfunctions 3.0.0 calls Promise.withResolvers (Node >= 22); this process only.
  const promise = Promise as unknown as { withResolvers?: () => unknown };
  if (typeof promise.withResolvers !== 'function') {
    promise.withResolvers = () => {
      let resolve!: (value: unknown) => void;
      let reject!: (reason: unknown) => void;
      const p = new Promise((res, rej) => { resolve = res; reject = rej; });
      return { promise: p, resolve, reject };
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { StateMachine } = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');
  const machine = new StateMachine(definition as never);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type LocalHandler = (input: any) => any;
  const byFunction = handlers() as unknown as Record<string, LocalHandler>;
  const byState: Record<string, LocalHandler> = {
    'Validate order': byFunction['validate-order'],
    'Price order': byFunction['price-order'],
    'Reserve stock': byFunction['reserve-stock'],
    'Notify customer': byFunction['notify-customer'],
  };
  const overrides = {
    taskResourceLocalHandlers: byState,
    // It sleeps for real: a one-hour Wait would take one hour, the retry 2 s.
    waitTimeOverrides: { 'Hold for review': 0 },
    retryIntervalOverrides: { 'Reserve stock': 0 },
  };
  return (input) => machine.run(input as never, { overrides }).result;
}

/**
 * Runs `count` executions one after the other; returns executions per second of wall time and
 * per second of this process's CPU time (user + system), which other work on a shared machine
 * disturbs far less.
 */
async function measure(run: Runner, inputs: Order[]): Promise<{ wall: number; cpu: number }> {
  collectGarbage();
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  for (const input of inputs) await run(input);
  const cpu = process.cpuUsage(cpuStarted);
  return { wall: inputs.length / (Number(process.hrtime.bigint() - started) / 1e9), cpu: inputs.length / ((cpu.user + cpu.system) / 1e6) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A full collection, so that the garbage of what ran before is not collected on the next measurement's clock. */
const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? tsFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : []);
}

/** Our runtime as services and the CLI load it: compiled `workflows/lib/local`, refused when older than its sources. */
function compiledRuntime(): typeof LocalStateMachine {
  const stale = tsFiles(LOCAL_SOURCES).filter((source) => {
    const compiled = path.join(LOCAL_LIB, path.relative(LOCAL_SOURCES, source).replace(/\.ts$/, '.js'));
    return !existsSync(compiled) || statSync(compiled).mtimeMs < statSync(source).mtimeMs;
  });
  if (stale.length > 0) {
    throw new Error(`workflows/lib/local is missing or older than ${stale.length} source file(s), e.g. ${path.relative(REPO, stale[0])}: the benchmark would measure old code. Fix: npx projen build:packages, then run the benchmark again.`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(LOCAL_LIB) as { LocalStateMachine: typeof LocalStateMachine }).LocalStateMachine;
}

/**
 * `LocalStateMachine` of another commit's runtime (`--baseline <commit>`), so before and after
 * run in one process: that commit's `workflows/src` compiled file by file with the compiler
 * options of `workflows/tsconfig.json` (what `build:packages` uses) into
 * node_modules/.cache/bench-workflow/<commit>/, inside the project, where `jsonata` resolves.
 */
function baselineRuntime(argv: string[]): { commit: string; runtime: typeof LocalStateMachine } | undefined {
  const i = argv.indexOf('--baseline');
  if (i < 0) return undefined;
  const rev = argv[i + 1] ?? '';
  let commit: string;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', '--verify', `${rev}^{commit}`], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    throw new Error(`--baseline needs a commit of this repository, got ${JSON.stringify(rev)}. Fix: for example --baseline HEAD~1 or --baseline main.`);
  }
  const dir = path.join(REPO, 'node_modules', '.cache', 'bench-workflow', commit);
  const entry = path.join(dir, 'lib', 'local', 'index.js');
  if (!existsSync(entry)) {
    mkdirSync(dir, { recursive: true });
    execSync(`git archive ${commit} workflows/src | tar -x -C ${JSON.stringify(dir)}`, { cwd: REPO });
    const config = ts.readConfigFile(path.join(REPO, 'workflows', 'tsconfig.json'), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, path.join(REPO, 'workflows'));
    const sources = path.join(dir, 'workflows', 'src');
    for (const source of tsFiles(sources)) {
      const out = path.join(dir, 'lib', path.relative(sources, source).replace(/\.ts$/, '.js'));
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, ts.transpileModule(readFileSync(source, 'utf8'), { compilerOptions: { ...options, noEmit: false }, fileName: source }).outputText);
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { commit, runtime: (require(entry) as { LocalStateMachine: typeof LocalStateMachine }).LocalStateMachine };
}

function option(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number >= 1, got ${JSON.stringify(argv[i + 1])}. Fix: for example ${name} 1000.`);
  return value;
}

async function main(argv: string[]): Promise<void> {
  const executions = option(argv, '--executions', 1000);
  const rounds = option(argv, '--rounds', 5);
  const record = !argv.includes('--no-record');

  const LocalStateMachine = compiledRuntime();
  const baseline = baselineRuntime(argv);
  const engines: Array<{ name: string; run: Runner }> = [
    { name: 'ours, JSONPath', run: ours(JSONPATH_WORKFLOW, LocalStateMachine) },
    { name: 'aws-local-stepfunctions 3.0.0, JSONPath', run: awsLocalStepFunctions(JSONPATH_WORKFLOW) },
    { name: 'ours, JSONata', run: ours(JSONATA_WORKFLOW, LocalStateMachine) },
    ...(baseline ? [
      { name: `ours at ${baseline.commit} (--baseline), JSONPath`, run: ours(JSONPATH_WORKFLOW, baseline.runtime) },
      { name: `ours at ${baseline.commit} (--baseline), JSONata`, run: ours(JSONATA_WORKFLOW, baseline.runtime) },
    ] : []),
  ];
  // Everything is loaded: from here on no engine pays for tsx's source-mapped stack traces.
  process.setSourceMapsEnabled(false);

  // Same results on every engine, or the comparison means nothing.
  const [probe] = orders(1, 'probe');
  const outputs = await Promise.all(engines.map((engine) => engine.run(probe)));
  for (const [i, output] of outputs.entries()) {
    if (JSON.stringify(output) !== JSON.stringify(outputs[0])) {
      throw new Error(`${engines[i].name} returned ${JSON.stringify(output)}, ${engines[0].name} ${JSON.stringify(outputs[0])}. Fix: the workflows or handlers differ between engines.`);
    }
  }

  // Warm-up, one full set per engine: JIT, jsonata compilation caches, module loading.
  for (const engine of engines) await measure(engine.run, orders(executions, `warm-${engine.name}`));

  const perSecond = new Map<string, { wall: number; cpu: number }[]>(engines.map((e) => [e.name, []]));
  for (let round = 0; round < rounds; round++) {
    // Interleaved, so that a slow moment of the machine hits every engine.
    for (const engine of engines) perSecond.get(engine.name)!.push(await measure(engine.run, orders(executions, `r${round}-${engine.name}`)));
  }

  // One execution of a single one-hour Wait on ours, in real time.
  const waitOnly = LocalStateMachine.compile({ StartAt: 'Wait an hour', States: { 'Wait an hour': { Type: 'Wait', Seconds: 3600, End: true } } });
  await waitOnly.run({});
  const waitStarted = process.hrtime.bigint();
  const waited = await waitOnly.run({}, { startTime: '2025-01-01T00:00:00Z' });
  const waitRealMs = Number(process.hrtime.bigint() - waitStarted) / 1e6;
  const waitVirtualSeconds = (Date.parse(waited.endTime) - Date.parse(waited.startTime)) / 1000;

  const nproc = execSync('nproc', { encoding: 'utf8' }).trim();
  const lines = [
    `### ${new Date().toISOString()}: ${nproc} CPUs (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${loadavg()[0].toFixed(1)} at the end`,
    '',
    `\`npm run bench:workflow\`: ${executions.toLocaleString('en-US')} sequential executions of the 10-state sample workflow per engine and round, `
      + `${rounds} rounds after a warm-up, in one process, engines interleaved in each round, a full garbage collection before each measurement; `
      + 'both engines as compiled JavaScript (ours: `workflows/lib/local`; source-mapped stack traces off); median executions/second, each round, '
      + 'and the ratio to aws-local-stepfunctions as the median of the per-round ratios (robust to a busy machine); '
      + 'the same per second of the process\'s CPU time (user + system), which the other work of a shared machine disturbs less. '
      + 'aws-local-stepfunctions runs with `waitTimeOverrides` and `retryIntervalOverrides` set to 0 ms (it sleeps for real otherwise) '
      + 'and `Promise.withResolvers` polyfilled for Node 20; ours runs the same Wait and retry back-off in virtual time.'
      + (baseline ? ` "ours at ${baseline.commit}" is that commit's runtime, compiled with the same compiler options, in the same process.` : ''),
    '',
    '| engine | executions/s (median) | each round | vs aws-local-stepfunctions | executions per CPU-second (median) | vs aws-local-stepfunctions, CPU |',
    '|---|---:|---|---:|---:|---:|',
  ];
  const reference = perSecond.get(engines[1].name)!;
  for (const engine of engines) {
    const values = perSecond.get(engine.name)!;
    const ratio = median(values.map((v, round) => v.wall / reference[round].wall));
    const cpuRatio = median(values.map((v, round) => v.cpu / reference[round].cpu));
    lines.push(`| ${engine.name} | ${Math.round(median(values.map((v) => v.wall)))} | ${values.map((v) => Math.round(v.wall)).join(', ')} | ${ratio.toFixed(2)}x | ${Math.round(median(values.map((v) => v.cpu)))} | ${cpuRatio.toFixed(2)}x |`);
  }
  lines.push(
    '',
    `A single one-hour Wait on ours: ${waitRealMs.toFixed(2)} ms of real time for ${waitVirtualSeconds} s of virtual time. `
      + 'On aws-local-stepfunctions the same Wait takes one hour unless overridden.',
    '',
  );
  const report = lines.join('\n');
  console.log(report);
  if (record) {
    appendToSection(report);
    console.log(`Appended to ${path.relative(REPO, BENCHMARKS_MD)} under "${SECTION}".`);
  }
}

/** Appends `report` at the end of the `## bench:workflow` section, creating it if needed. */
function appendToSection(report: string): void {
  if (!existsSync(BENCHMARKS_MD)) {
    writeFileSync(BENCHMARKS_MD, `# Benchmarks\n\n${SECTION}\n\n${report}`);
    return;
  }
  const text = readFileSync(BENCHMARKS_MD, 'utf8');
  const start = text.indexOf(`${SECTION}\n`);
  if (start < 0) {
    appendFileSync(BENCHMARKS_MD, `${text.endsWith('\n') ? '' : '\n'}\n${SECTION}\n\n${report}`);
    return;
  }
  const nextSection = text.indexOf('\n## ', start + SECTION.length);
  const end = nextSection < 0 ? text.length : nextSection + 1;
  const before = text.slice(0, end).replace(/\n*$/, '\n\n');
  writeFileSync(BENCHMARKS_MD, `${before}${report}${nextSection < 0 ? '' : `\n${text.slice(end)}`}`);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});

/**
 * bench:suite — what each test suite (file) of `npm test` costs, most expensive first: runs jest
 * with `--json` over the given test paths (default: the whole suite, every project), with the
 * CPU of every suite recorded in its worker (bench/cpu-test-environment.js), and writes the
 * table into docs/benchmarks.md between the bench:suite markers (replacing the last table).
 *
 *   npm run bench:suite                                         # the whole npm test (minutes)
 *   npm run bench:suite -- --baseline 8040c3b                   # and the suite of that commit, compared
 *   npm run bench:suite -- cli/test/list.test.ts workflows/test/local/json-path.test.ts
 *   npm run bench:suite -- --no-record --max-workers 2 cli/test # print only; jest's --maxWorkers
 *
 * The whole suite is measured as `npm test` runs it: build:packages, drift, then jest; given
 * paths, jest alone (build the packages first). CPU is user + system of every process a step
 * ran (/proc/self/stat of this process); per suite, of the worker that ran it and the
 * processes it waited for, from the environment's construction to its teardown, so suites
 * running side by side on the 2 workers do not blur each other. Jest's transform cache is a
 * fresh folder per run, as in CI on a clean clone.
 *
 * With `--baseline <commit>`, the commit is checked out in a temporary git worktree
 * (`npm ci` there, not counted), its suite runs first, then this checkout's; the report gives
 * the CPU of both, of the suites present in both (by path) with the ratio, and per project.
 * `--baseline-dir <dir>` reuses a checkout already installed; `--keep` leaves the worktree.
 * `--save <file>` writes the measured runs as JSON; `--baseline-only --save <file>` measures the
 * baseline alone and a later `--baseline-from <file>` compares today's suite with it (the two
 * halves of a long comparison run apart; CPU, unlike wall time, barely moves with the load);
 * `--current-from <file>` likewise reads today's run from a file --save wrote.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { cpus, loadavg, tmpdir, totalmem } from 'os';
import * as path from 'path';
import { childrenCpu } from './children-cpu';
import { comparisonTables, SuiteRun, SuiteStep } from './suite-comparison';

const REPO = path.resolve(__dirname, '..');
const BENCHMARKS_MD = path.join(REPO, 'docs', 'benchmarks.md');
const SECTION = '## bench:suite';
const CPU_ENVIRONMENT = path.join(__dirname, 'cpu-test-environment.js');
export const START_MARKER = '<!-- bench:suite:start -->';
export const END_MARKER = '<!-- bench:suite:end -->';

/** What jest's `--json` report says of one test file (the fields read here). */
interface JestFileResult {
  readonly name: string;
  readonly startTime: number;
  readonly endTime: number;
  readonly status: string;
  readonly assertionResults: readonly { readonly status: string }[];
}

/** One line bench/cpu-test-environment.js writes per test file. */
export interface SuiteCpu {
  readonly suite: string;
  readonly userS: number;
  readonly systemS: number;
  readonly childrenS: number;
}

/** One row of the table. */
export interface SuiteTime {
  readonly suite: string;
  readonly seconds: number;
  /** CPU seconds of the suite (its worker and the processes it ran); undefined when not recorded. */
  readonly cpuS?: number;
  readonly tests: number;
  readonly failed: number;
}

/** The suites of a jest `--json` report with their CPU from `cpu`, most CPU first (without CPU: slowest first; ties by name). */
export function suiteTimes(report: { testResults: readonly JestFileResult[] }, root: string = REPO, cpu: readonly SuiteCpu[] = []): SuiteTime[] {
  const cpuBySuite = new Map<string, number>();
  for (const c of cpu) cpuBySuite.set(c.suite, (cpuBySuite.get(c.suite) ?? 0) + c.userS + c.systemS + c.childrenS);
  return report.testResults
    .map((r) => ({
      suite: path.relative(root, r.name),
      seconds: (r.endTime - r.startTime) / 1000,
      ...(cpuBySuite.has(r.name) ? { cpuS: cpuBySuite.get(r.name) } : {}),
      tests: r.assertionResults.length,
      failed: r.assertionResults.filter((a) => a.status === 'failed').length + (r.status === 'failed' && r.assertionResults.length === 0 ? 1 : 0),
    }))
    .sort((a, b) => (b.cpuS ?? 0) - (a.cpuS ?? 0) || b.seconds - a.seconds || a.suite.localeCompare(b.suite));
}

/** The Markdown table of `times`, with a total row. */
export function suiteTable(times: readonly SuiteTime[]): string[] {
  const lines = ['| suite | wall (s) | CPU (s) | tests | failed |', '|---|---:|---:|---:|---:|'];
  const cpu = (t: SuiteTime) => (t.cpuS === undefined ? '-' : t.cpuS.toFixed(1));
  for (const t of times) lines.push(`| \`${t.suite}\` | ${t.seconds.toFixed(1)} | ${cpu(t)} | ${t.tests} | ${t.failed} |`);
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  lines.push(`| **${times.length} suites** | ${sum(times.map((t) => t.seconds)).toFixed(1)} (sum) | ${sum(times.map((t) => t.cpuS ?? 0)).toFixed(1)} | ${sum(times.map((t) => t.tests))} | ${sum(times.map((t) => t.failed))} |`);
  return lines;
}

/** `text` with everything between the markers replaced by `block` (the section and markers created when missing). */
export function replaceBetweenMarkers(text: string, block: string): string {
  const start = text.indexOf(START_MARKER);
  const end = text.indexOf(END_MARKER);
  if (start >= 0 && end > start) return `${text.slice(0, start + START_MARKER.length)}\n${block}\n${text.slice(end)}`;
  return `${text.replace(/\n*$/, '\n')}\n${SECTION}\n\n${START_MARKER}\n${block}\n${END_MARKER}\n`;
}

/** The command line of bench:suite. */
export interface SuiteOptions {
  readonly paths: readonly string[];
  readonly record: boolean;
  readonly keep: boolean;
  readonly baseline?: string;
  readonly baselineDir?: string;
  readonly maxWorkers?: string;
  /** Measure the baseline only (with --save, to compare later with --baseline-from). */
  readonly baselineOnly: boolean;
  /** A file --save wrote: its baseline run is used instead of measuring one. */
  readonly baselineFrom?: string;
  /** A file --save wrote: its current run is used instead of measuring this checkout. */
  readonly currentFrom?: string;
  /** Write the measured runs to this JSON file. */
  readonly save?: string;
}

/** `argv` read, with every problem in it reported at once. */
export function parseSuiteArgs(argv: readonly string[], root: string = REPO): SuiteOptions {
  const problems: string[] = [];
  const paths: string[] = [];
  let record = true;
  let keep = false;
  let baseline: string | undefined;
  let baselineDir: string | undefined;
  let maxWorkers: string | undefined;
  let baselineOnly = false;
  let baselineFrom: string | undefined;
  let save: string | undefined;
  let currentFrom: string | undefined;
  const valueOf = (flag: string, i: number, fix: string): string | undefined => {
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) {
      problems.push(`bench:suite: ${flag} needs a value, got ${value === undefined ? 'nothing' : JSON.stringify(value)}. Fix: ${fix}.`);
      return undefined;
    }
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--no-record') record = false;
    else if (arg === '--keep') keep = true;
    else if (arg === '--baseline-only') baselineOnly = true;
    else if (arg === '--baseline-from') baselineFrom = valueOf(arg, i++, 'name a file an earlier --save wrote');
    else if (arg === '--current-from') currentFrom = valueOf(arg, i++, 'name a file an earlier --save wrote');
    else if (arg === '--save') save = valueOf(arg, i++, 'name a JSON file to write, e.g. --save /tmp/suite-runs.json');
    else if (arg === '--baseline') baseline = valueOf(arg, i++, 'name a commit, e.g. --baseline 8040c3b');
    else if (arg === '--baseline-dir') baselineDir = valueOf(arg, i++, 'name a checkout of the baseline commit with npm ci done, e.g. --baseline-dir /tmp/fleet-baseline');
    else if (arg === '--max-workers') {
      maxWorkers = valueOf(arg, i++, 'give a worker count or a percentage, e.g. --max-workers 2');
      if (maxWorkers !== undefined && !/^(\d+|\d+%)$/.test(maxWorkers)) {
        problems.push(`bench:suite: --max-workers must be a whole number or a percentage, got ${JSON.stringify(maxWorkers)}. Fix: e.g. --max-workers 2 or --max-workers 50%.`);
      }
    } else if (arg.startsWith('--')) problems.push(`bench:suite: unknown option ${JSON.stringify(arg)}. Fix: use --baseline <commit>, --baseline-dir <dir>, --baseline-only, --baseline-from <file>, --current-from <file>, --save <file>, --keep, --max-workers <n> or --no-record.`);
    else if (!existsSync(path.resolve(root, arg))) problems.push(`bench:suite: no such test path ${JSON.stringify(arg)} (relative to ${root}). Fix: give test files or folders of the repository, or nothing for the whole suite.`);
    else paths.push(arg);
  }
  if (baselineDir !== undefined && baseline === undefined) problems.push(`bench:suite: --baseline-dir ${baselineDir} is given without --baseline. Fix: add --baseline <the commit checked out there>.`);
  if (baselineDir !== undefined && !existsSync(path.join(baselineDir, 'node_modules'))) problems.push(`bench:suite: --baseline-dir ${baselineDir} has no node_modules. Fix: run npm ci there, or leave --baseline-dir out to check the commit out afresh.`);
  if (baselineOnly && baseline === undefined) problems.push('bench:suite: --baseline-only is given without --baseline. Fix: add --baseline <commit>.');
  if (baselineFrom !== undefined && baseline !== undefined) problems.push(`bench:suite: --baseline-from ${baselineFrom} and --baseline ${baseline} are both given. Fix: keep one: the recorded baseline run or a new one.`);
  if (baselineFrom !== undefined && !existsSync(baselineFrom)) problems.push(`bench:suite: --baseline-from ${baselineFrom}: no such file. Fix: name a file an earlier run wrote with --save.`);
  if (currentFrom !== undefined && !existsSync(currentFrom)) problems.push(`bench:suite: --current-from ${currentFrom}: no such file. Fix: name a file an earlier run wrote with --save.`);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return { paths, record, keep, baseline, baselineDir, maxWorkers, baselineOnly, baselineFrom, currentFrom, save };
}

function run(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): { status: number | null; wallS: number; cpuS: number } {
  const cpuBefore = childrenCpu();
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return { status: result.status, wallS: Number(process.hrtime.bigint() - started) / 1e9, cpuS: childrenCpu() - cpuBefore };
}

/** The suite of the checkout at `root`, measured: `npm test`'s steps for the whole suite, jest alone for given paths. */
function measureSuite(root: string, label: string, options: SuiteOptions): SuiteRun & { jestStatus: number | null } {
  const steps: SuiteStep[] = [];
  const step = (name: string, command: string, args: readonly string[], env?: Record<string, string>) => {
    console.error(`bench:suite: ${label}: ${name} ...`);
    const result = run(command, args, root, env);
    steps.push({ name, wallS: result.wallS, cpuS: result.cpuS });
    return result.status;
  };
  const whole = options.paths.length === 0;
  if (whole) {
    for (const name of ['build:packages', 'drift']) {
      const status = step(name, 'npx', ['projen', name]);
      if (status !== 0) throw new Error(`bench:suite: ${label}: npx projen ${name} failed (exit ${status}) in ${root}. Fix: run it there to see why.`);
    }
  }
  const scratch = mkdtempSync(path.join(tmpdir(), 'bench-suite-'));
  const out = path.join(scratch, 'jest.json');
  const cpuFile = path.join(scratch, 'cpu.jsonl');
  // Paths are jest's regex patterns: escape them so a file is matched as written.
  const patterns = options.paths.map((p) => path.resolve(root, p).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const jestArgs = [
    path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--json', '--outputFile', out,
    '--cacheDirectory', path.join(scratch, 'jest-cache'), '--testEnvironment', CPU_ENVIRONMENT,
    ...(options.maxWorkers ? ['--maxWorkers', options.maxWorkers] : []), ...patterns,
  ];
  const jestStatus = step('jest', process.execPath, jestArgs, { FLEET_SUITE_CPU_FILE: cpuFile });
  if (!existsSync(out)) throw new Error(`bench:suite: ${label}: jest wrote no report (exit ${jestStatus}). Fix: run the same paths with npx jest in ${root} to see why.`);
  const cpu = existsSync(cpuFile) ? readFileSync(cpuFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as SuiteCpu) : [];
  const suites = suiteTimes(JSON.parse(readFileSync(out, 'utf8')), root, cpu);
  rmSync(scratch, { recursive: true, force: true });
  const projectsDir = path.join(root, 'projects');
  const projects = existsSync(projectsDir) ? readdirSync(projectsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort() : [];
  return { label, steps, suites, projects, jestStatus };
}

function git(args: readonly string[], cwd: string = REPO): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`bench:suite: git ${args.join(' ')} failed: ${result.stderr.trim()}. Fix: check the commit name (git log --oneline).`);
  return result.stdout.trim();
}

function machine(): string {
  return `${cpus().length} x ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** The runs one invocation measured or read, as --save writes them. */
interface SavedRuns {
  readonly command: string;
  readonly started: string;
  readonly baseline?: SuiteRun;
  readonly current?: SuiteRun;
}

function main(argv: string[]): void {
  const options = parseSuiteArgs(argv);
  const command = `npm run bench:suite${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  const what = options.paths.length ? 'the given paths (jest alone)' : 'the whole `npm test` (build:packages, drift, jest)';
  const head = git(['rev-parse', '--short', 'HEAD']);
  const started = new Date().toISOString();
  const loadBefore = loadavg()[0];

  let baselineRun: SuiteRun | undefined;
  let baselineNote = '';
  if (options.baselineFrom !== undefined) {
    const saved = JSON.parse(readFileSync(options.baselineFrom, 'utf8')) as SavedRuns;
    if (!saved.baseline) throw new Error(`bench:suite: --baseline-from ${options.baselineFrom} holds no baseline run. Fix: name a file written by --baseline <commit> --save <file>.`);
    baselineRun = saved.baseline;
    baselineNote = ` The baseline ${baselineRun.label} was measured by \`${saved.command}\` (${saved.started}).`;
  } else if (options.baseline !== undefined) {
    const commit = git(['rev-parse', '--short', `${options.baseline}^{commit}`]);
    let dir = options.baselineDir;
    let worktree: string | undefined;
    if (dir === undefined) {
      worktree = path.join(mkdtempSync(path.join(tmpdir(), 'bench-suite-baseline-')), commit);
      console.error(`bench:suite: checking ${commit} out into ${worktree} and installing it (not measured) ...`);
      git(['worktree', 'add', '--detach', worktree, commit]);
      const install = run('npm', ['ci', '--no-audit', '--no-fund'], worktree);
      if (install.status !== 0) throw new Error(`bench:suite: npm ci failed (exit ${install.status}) in the baseline worktree ${worktree}. Fix: run it there to see why.`);
      dir = worktree;
    }
    try {
      const { jestStatus, ...measured } = measureSuite(dir, commit, options);
      baselineRun = measured;
      if (jestStatus !== 0) baselineNote = ` The baseline's jest exited ${jestStatus}.`;
    } finally {
      if (worktree !== undefined && !options.keep) git(['worktree', 'remove', '--force', worktree]);
    }
  }
  let current: (SuiteRun & { jestStatus: number | null }) | undefined;
  if (options.currentFrom !== undefined) {
    const saved = JSON.parse(readFileSync(options.currentFrom, 'utf8')) as SavedRuns;
    if (!saved.current) throw new Error(`bench:suite: --current-from ${options.currentFrom} holds no current run. Fix: name a file written by a run without --baseline-only.`);
    current = { ...saved.current, jestStatus: 0 };
    baselineNote += ` ${saved.current.label} was measured by \`${saved.command}\` (${saved.started}).`;
  } else if (!options.baselineOnly) current = measureSuite(REPO, `now (${head})`, options);
  if (options.save !== undefined) {
    const saved: SavedRuns = { command, started, baseline: baselineRun, current: current && (({ jestStatus: _, ...run }) => run)(current) };
    writeFileSync(options.save, `${JSON.stringify(saved, null, 2)}\n`);
    console.error(`bench:suite: the runs are saved in ${options.save}.`);
  }
  const lines = [
    `### bench:suite, ${started}, ${machine()}, load average ${loadBefore.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end`,
    '',
    `\`${command}\`: ${what}${options.maxWorkers ? `, jest --maxWorkers ${options.maxWorkers}` : ''}; jest's transform cache empty, as in CI. CPU is user + system of every process (per suite: its worker from the environment's construction to its teardown, and the processes it waited for); wall per suite is jest's own start and end of the file (suites on different workers overlap).${baselineNote}`,
    '',
  ];
  const shown = current ?? baselineRun!;
  if (baselineRun && current) {
    lines.push(...comparisonTables(baselineRun, current), '', `Every suite now (${head}), most CPU first:`, '');
  } else {
    const total = shown.steps.reduce((s, x) => ({ wall: s.wall + x.wallS, cpu: s.cpu + x.cpuS }), { wall: 0, cpu: 0 });
    lines.push(`${shown.label}: ${shown.steps.map((s) => `${s.name} ${s.wallS.toFixed(1)} s wall, ${s.cpuS.toFixed(1)} s CPU`).join('; ')}${shown.steps.length > 1 ? `; total ${total.wall.toFixed(1)} s wall, ${total.cpu.toFixed(1)} s CPU` : ''}.`, '');
  }
  lines.push(...suiteTable(shown.suites));
  const block = lines.join('\n');
  console.log(block);
  // A baseline measured alone is kept for --baseline-from, not written as the table of today.
  if (options.record && current) {
    writeFileSync(BENCHMARKS_MD, replaceBetweenMarkers(existsSync(BENCHMARKS_MD) ? readFileSync(BENCHMARKS_MD, 'utf8') : '# Benchmarks\n', block));
    console.log(`Written to ${path.relative(REPO, BENCHMARKS_MD)} between ${START_MARKER} and ${END_MARKER}.`);
  }
  if (current && current.jestStatus !== 0) process.exitCode = current.jestStatus ?? 1;
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}

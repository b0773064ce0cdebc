import type { SuiteTime } from './suite-times';

/** One step of `npm test` (build:packages, drift, jest) as bench:suite measured it. */
export interface SuiteStep {
  readonly name: string;
  readonly wallS: number;
  /** User + system CPU of the step's process and every process it waited for. */
  readonly cpuS: number;
}

/** One measured run of the suite of one checkout. */
export interface SuiteRun {
  /** What the run measured, e.g. "8040c3b" or "now (a7c7af1)". */
  readonly label: string;
  readonly steps: readonly SuiteStep[];
  readonly suites: readonly SuiteTime[];
  /** Folders under projects/ of the checkout (each one is generated, and checked by the drift step). */
  readonly projects: readonly string[];
}

/** A suite present in both runs (same path), with its CPU in each. */
export interface CommonSuite {
  readonly suite: string;
  readonly baselineCpuS: number;
  readonly currentCpuS: number;
  readonly baselineTests: number;
  readonly currentTests: number;
}

/** What `compareRuns` returns. */
export interface SuiteComparison {
  readonly common: readonly CommonSuite[];
  readonly baselineCommonCpuS: number;
  readonly currentCommonCpuS: number;
  /** current / baseline CPU of the common suites (the issue's "with the same tests"). */
  readonly ratio: number;
  readonly onlyBaseline: readonly string[];
  readonly onlyCurrent: readonly string[];
}

/** The CPU of one service's share of a run: its own suites and its part of generation and drift. */
export interface ServiceShare {
  readonly service: string;
  readonly suites: number;
  readonly tests: number;
  readonly suitesCpuS: number;
  /** The drift step's CPU divided by the number of projects it regenerates. */
  readonly generationCpuS: number;
  readonly totalCpuS: number;
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
const cpuOf = (t: SuiteTime) => t.cpuS ?? 0;

/** The total CPU of a run: every step (jest's step holds every suite, and jest's own process). */
export function runCpu(run: SuiteRun): number {
  return sum(run.steps.map((s) => s.cpuS));
}

/**
 * The suites of both runs matched by path: the baseline's suites that still exist are the
 * "same tests" (a suite may have gained tests since; both counts are kept), the most expensive
 * in the baseline first.
 */
export function compareRuns(baseline: SuiteRun, current: SuiteRun): SuiteComparison {
  const now = new Map(current.suites.map((t) => [t.suite, t]));
  const before = new Set(baseline.suites.map((t) => t.suite));
  const common = baseline.suites
    .filter((t) => now.has(t.suite))
    .map((t) => ({ suite: t.suite, baselineCpuS: cpuOf(t), currentCpuS: cpuOf(now.get(t.suite)!), baselineTests: t.tests, currentTests: now.get(t.suite)!.tests }))
    .sort((a, b) => b.baselineCpuS - a.baselineCpuS || a.suite.localeCompare(b.suite));
  const baselineCommonCpuS = sum(common.map((c) => c.baselineCpuS));
  const currentCommonCpuS = sum(common.map((c) => c.currentCpuS));
  return {
    common,
    baselineCommonCpuS,
    currentCommonCpuS,
    ratio: baselineCommonCpuS > 0 ? currentCommonCpuS / baselineCommonCpuS : NaN,
    onlyBaseline: baseline.suites.filter((t) => !now.has(t.suite)).map((t) => t.suite).sort(),
    onlyCurrent: current.suites.filter((t) => !before.has(t.suite)).map((t) => t.suite).sort(),
  };
}

/**
 * What each project of `run` costs: the suites under `projects/<name>/`, plus an equal part of
 * the drift step (it regenerates every project). This is what adding a service adds, apart from
 * root tests that loop over every service (listed in the run's table).
 */
export function serviceShares(run: SuiteRun): ServiceShare[] {
  const drift = run.steps.find((s) => s.name === 'drift');
  const generationCpuS = drift && run.projects.length > 0 ? drift.cpuS / run.projects.length : 0;
  return run.projects
    .map((service) => {
      const own = run.suites.filter((t) => t.suite.startsWith(`projects/${service}/`));
      const suitesCpuS = sum(own.map(cpuOf));
      return { service, suites: own.length, tests: sum(own.map((t) => t.tests)), suitesCpuS, generationCpuS, totalCpuS: suitesCpuS + generationCpuS };
    })
    .sort((a, b) => b.totalCpuS - a.totalCpuS || a.service.localeCompare(b.service));
}

/** The Markdown of a comparison: steps of both runs, the common suites' CPU and ratio, the services. */
export function comparisonTables(baseline: SuiteRun, current: SuiteRun): string[] {
  const c = compareRuns(baseline, current);
  const f = (x: number) => x.toFixed(1);
  const stepNames = [...new Set([...baseline.steps, ...current.steps].map((s) => s.name))];
  const step = (run: SuiteRun, name: string) => run.steps.find((s) => s.name === name);
  const cell = (s: SuiteStep | undefined, key: 'wallS' | 'cpuS') => (s ? f(s[key]) : '-');
  const tests = (run: SuiteRun) => sum(run.suites.map((t) => t.tests));
  const lines = [
    `| step | ${baseline.label} wall (s) | ${baseline.label} CPU (s) | ${current.label} wall (s) | ${current.label} CPU (s) |`,
    '|---|---:|---:|---:|---:|',
    ...stepNames.map((name) => `| ${name} | ${cell(step(baseline, name), 'wallS')} | ${cell(step(baseline, name), 'cpuS')} | ${cell(step(current, name), 'wallS')} | ${cell(step(current, name), 'cpuS')} |`),
    `| **total** (${baseline.suites.length} / ${current.suites.length} suites, ${tests(baseline)} / ${tests(current)} tests) | ${f(sum(baseline.steps.map((s) => s.wallS)))} | ${f(runCpu(baseline))} | ${f(sum(current.steps.map((s) => s.wallS)))} | ${f(runCpu(current))} |`,
    '',
    `The same tests: the ${c.common.length} suites present in both (by path): ${f(c.baselineCommonCpuS)} s CPU at ${baseline.label}, ${f(c.currentCommonCpuS)} s now, **${(c.ratio * 100).toFixed(0)}%** of the baseline.`,
    c.onlyBaseline.length > 0 ? `Suites of ${baseline.label} gone since: ${c.onlyBaseline.map((s) => `\`${s}\``).join(', ')}.` : `No suite of ${baseline.label} is gone.`,
    '',
    `| suite (in both) | ${baseline.label} CPU (s) | ${baseline.label} tests | ${current.label} CPU (s) | ${current.label} tests | CPU now / then |`,
    '|---|---:|---:|---:|---:|---:|',
    ...c.common.map((s) => `| \`${s.suite}\` | ${f(s.baselineCpuS)} | ${s.baselineTests} | ${f(s.currentCpuS)} | ${s.currentTests} | ${s.baselineCpuS > 0 ? `${(s.currentCpuS / s.baselineCpuS).toFixed(2)}` : '-'} |`),
    `| **${c.common.length} suites** | ${f(c.baselineCommonCpuS)} | ${sum(c.common.map((s) => s.baselineTests))} | ${f(c.currentCommonCpuS)} | ${sum(c.common.map((s) => s.currentTests))} | ${c.ratio.toFixed(2)} |`,
    '',
    `Per project (its suites under \`projects/<name>/\` plus 1/${current.projects.length} of the drift step), ${current.label}:`,
    '',
    '| project | suites | tests | suites CPU (s) | generation and drift share (s) | total CPU (s) |',
    '|---|---:|---:|---:|---:|---:|',
    ...serviceShares(current).map((s) => `| ${s.service} | ${s.suites} | ${s.tests} | ${f(s.suitesCpuS)} | ${f(s.generationCpuS)} | ${f(s.totalCpuS)} |`),
  ];
  return lines;
}

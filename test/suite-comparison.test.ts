import { compareRuns, comparisonTables, runCpu, serviceShares, SuiteRun } from '../bench/suite-comparison';

/** bench:suite --baseline compares the suite of a baseline commit with today's on the same tests. */
const BASELINE: SuiteRun = {
  label: 'abc1234',
  steps: [{ name: 'build:packages', wallS: 10, cpuS: 8 }, { name: 'drift', wallS: 6, cpuS: 4 }, { name: 'jest', wallS: 100, cpuS: 150 }],
  suites: [
    { suite: 'projects/svc-a/test/stack.test.ts', seconds: 20, cpuS: 40, tests: 5, failed: 0 },
    { suite: 'test/standalone-service.test.ts', seconds: 60, cpuS: 100, tests: 2, failed: 0 },
    { suite: 'test/renamed.test.ts', seconds: 1, cpuS: 2, tests: 1, failed: 0 },
  ],
  projects: ['svc-a', 'svc-b'],
};
const CURRENT: SuiteRun = {
  label: 'now',
  steps: [{ name: 'build:packages', wallS: 12, cpuS: 9 }, { name: 'drift', wallS: 9, cpuS: 6 }, { name: 'jest', wallS: 80, cpuS: 120 }],
  suites: [
    { suite: 'test/standalone-service.test.ts', seconds: 30, cpuS: 35, tests: 3, failed: 0 },
    { suite: 'projects/svc-a/test/stack.test.ts', seconds: 5, cpuS: 7, tests: 6, failed: 0 },
    { suite: 'projects/svc-b/test/stack.test.ts', seconds: 4, cpuS: 5, tests: 6, failed: 0 },
    { suite: 'projects/svc-b/test/workflow.test.ts', seconds: 2, cpuS: 3, tests: 2, failed: 0 },
    { suite: 'test/new.test.ts', seconds: 1, cpuS: 1, tests: 1, failed: 0 },
  ],
  projects: ['svc-a', 'svc-b', 'svc-c'],
};

describe('bench:suite --baseline', () => {
  test('GIVEN two runs WHEN they are compared THEN the suites present in both are the same tests, most expensive at the baseline first, with the CPU ratio', () => {
    const c = compareRuns(BASELINE, CURRENT);

    expect(c.common).toEqual([
      { suite: 'test/standalone-service.test.ts', baselineCpuS: 100, currentCpuS: 35, baselineTests: 2, currentTests: 3 },
      { suite: 'projects/svc-a/test/stack.test.ts', baselineCpuS: 40, currentCpuS: 7, baselineTests: 5, currentTests: 6 },
    ]);
    expect(c.baselineCommonCpuS).toBe(140);
    expect(c.currentCommonCpuS).toBe(42);
    expect(c.ratio).toBeCloseTo(0.3);
    expect(c.onlyBaseline).toEqual(['test/renamed.test.ts']);
    expect(c.onlyCurrent).toEqual(['projects/svc-b/test/stack.test.ts', 'projects/svc-b/test/workflow.test.ts', 'test/new.test.ts']);
  });

  test('GIVEN a run WHEN its CPU is totalled THEN every step counts (build, drift and jest)', () => {
    expect(runCpu(CURRENT)).toBe(135);
  });

  test('GIVEN a run WHEN it is split per project THEN each has its own suites and an equal part of the drift step', () => {
    expect(serviceShares(CURRENT)).toEqual([
      { service: 'svc-b', suites: 2, tests: 8, suitesCpuS: 8, generationCpuS: 2, totalCpuS: 10 },
      { service: 'svc-a', suites: 1, tests: 6, suitesCpuS: 7, generationCpuS: 2, totalCpuS: 9 },
      // A project without suites still costs its generation.
      { service: 'svc-c', suites: 0, tests: 0, suitesCpuS: 0, generationCpuS: 2, totalCpuS: 2 },
    ]);
  });

  test('GIVEN two runs WHEN the report is written THEN it gives the steps, the common suites with the ratio, the gone suites and the projects', () => {
    expect(comparisonTables(BASELINE, CURRENT)).toEqual([
      '| step | abc1234 wall (s) | abc1234 CPU (s) | now wall (s) | now CPU (s) |',
      '|---|---:|---:|---:|---:|',
      '| build:packages | 10.0 | 8.0 | 12.0 | 9.0 |',
      '| drift | 6.0 | 4.0 | 9.0 | 6.0 |',
      '| jest | 100.0 | 150.0 | 80.0 | 120.0 |',
      '| **total** (3 / 5 suites, 8 / 18 tests) | 116.0 | 162.0 | 101.0 | 135.0 |',
      '',
      'The same tests: the 2 suites present in both (by path): 140.0 s CPU at abc1234, 42.0 s now, **30%** of the baseline.',
      'Suites of abc1234 gone since: `test/renamed.test.ts`.',
      '',
      '| suite (in both) | abc1234 CPU (s) | abc1234 tests | now CPU (s) | now tests | CPU now / then |',
      '|---|---:|---:|---:|---:|---:|',
      '| `test/standalone-service.test.ts` | 100.0 | 2 | 35.0 | 3 | 0.35 |',
      '| `projects/svc-a/test/stack.test.ts` | 40.0 | 5 | 7.0 | 6 | 0.17 |',
      '| **2 suites** | 140.0 | 7 | 42.0 | 9 | 0.30 |',
      '',
      'Per project (its suites under `projects/<name>/` plus 1/3 of the drift step), now:',
      '',
      '| project | suites | tests | suites CPU (s) | generation and drift share (s) | total CPU (s) |',
      '|---|---:|---:|---:|---:|---:|',
      '| svc-b | 2 | 8 | 8.0 | 2.0 | 10.0 |',
      '| svc-a | 1 | 6 | 7.0 | 2.0 | 9.0 |',
      '| svc-c | 0 | 0 | 0.0 | 2.0 | 2.0 |',
    ]);
  });
});

import * as path from 'path';
import { parseSuiteArgs, replaceBetweenMarkers, START_MARKER, END_MARKER, suiteTable, suiteTimes } from '../bench/suite-times';

/** bench:suite turns jest's --json report and the per-suite CPU lines into the table of docs/benchmarks.md. */
const REPORT = {
  testResults: [
    { name: '/repo/cli/test/list.test.ts', startTime: 1_000, endTime: 3_500, status: 'passed', assertionResults: [{ status: 'passed' }, { status: 'passed' }] },
    { name: '/repo/workflows/test/local/json-path.test.ts', startTime: 1_000, endTime: 13_000, status: 'failed', assertionResults: [{ status: 'passed' }, { status: 'failed' }, { status: 'passed' }] },
    { name: '/repo/test/broken.test.ts', startTime: 2_000, endTime: 2_100, status: 'failed', assertionResults: [] },
  ],
};
const CPU = [
  { suite: '/repo/cli/test/list.test.ts', userS: 4, systemS: 1, childrenS: 10 },
  { suite: '/repo/workflows/test/local/json-path.test.ts', userS: 2, systemS: 0.5, childrenS: 0 },
];
const REPO = path.resolve(__dirname, '..');

describe('bench:suite', () => {
  test('GIVEN a jest --json report WHEN the suites are timed THEN each has its wall seconds, tests and failures, slowest first', () => {
    expect(suiteTimes(REPORT, '/repo')).toEqual([
      { suite: 'workflows/test/local/json-path.test.ts', seconds: 12, tests: 3, failed: 1 },
      { suite: 'cli/test/list.test.ts', seconds: 2.5, tests: 2, failed: 0 },
      // A file that failed to run (no tests) counts as one failure.
      { suite: 'test/broken.test.ts', seconds: 0.1, tests: 0, failed: 1 },
    ]);
  });

  test('GIVEN the CPU lines of the workers WHEN the suites are timed THEN each suite has its own, children included, and the most CPU comes first', () => {
    expect(suiteTimes(REPORT, '/repo', CPU)).toEqual([
      { suite: 'cli/test/list.test.ts', seconds: 2.5, cpuS: 15, tests: 2, failed: 0 },
      { suite: 'workflows/test/local/json-path.test.ts', seconds: 12, cpuS: 2.5, tests: 3, failed: 1 },
      // No CPU line (the file failed before its environment was built): no CPU figure.
      { suite: 'test/broken.test.ts', seconds: 0.1, tests: 0, failed: 1 },
    ]);
  });

  test('GIVEN the timed suites WHEN the table is written THEN it has a row per suite and a total row', () => {
    expect(suiteTable(suiteTimes(REPORT, '/repo', CPU))).toEqual([
      '| suite | wall (s) | CPU (s) | tests | failed |',
      '|---|---:|---:|---:|---:|',
      '| `cli/test/list.test.ts` | 2.5 | 15.0 | 2 | 0 |',
      '| `workflows/test/local/json-path.test.ts` | 12.0 | 2.5 | 3 | 1 |',
      '| `test/broken.test.ts` | 0.1 | - | 0 | 1 |',
      '| **3 suites** | 14.6 (sum) | 17.5 | 5 | 2 |',
    ]);
  });

  test('GIVEN docs/benchmarks.md with the markers WHEN a new table is written THEN only the text between them is replaced', () => {
    const before = `# Benchmarks\n\n## bench:suite\n\n${START_MARKER}\nold table\n${END_MARKER}\n\n## later\n`;
    expect(replaceBetweenMarkers(before, 'new table')).toBe(`# Benchmarks\n\n## bench:suite\n\n${START_MARKER}\nnew table\n${END_MARKER}\n\n## later\n`);
  });

  test('GIVEN docs/benchmarks.md without the markers WHEN a table is written THEN a bench:suite section with the markers is appended', () => {
    expect(replaceBetweenMarkers('# Benchmarks\n\n## other\n', 'table')).toBe(`# Benchmarks\n\n## other\n\n## bench:suite\n\n${START_MARKER}\ntable\n${END_MARKER}\n`);
  });

  test('GIVEN a baseline, a worker count and test paths WHEN the command line is read THEN each is kept', () => {
    expect(parseSuiteArgs(['--baseline', '8040c3b', '--max-workers', '2', '--no-record', 'test/suite-times.test.ts'], REPO)).toEqual({
      paths: ['test/suite-times.test.ts'], record: false, keep: false, baseline: '8040c3b', baselineDir: undefined, maxWorkers: '2', baselineOnly: false, baselineFrom: undefined, currentFrom: undefined, save: undefined,
    });
  });

  test('GIVEN a recorded baseline and a new one both asked for WHEN the command line is read THEN both conflicts are reported with their fix', () => {
    expect(() => parseSuiteArgs(['--baseline-only', '--baseline-from', '/nowhere.json'], REPO)).toThrow([
      'bench:suite: --baseline-only is given without --baseline. Fix: add --baseline <commit>.',
      'bench:suite: --baseline-from /nowhere.json: no such file. Fix: name a file an earlier run wrote with --save.',
    ].join('\n'));
    expect(() => parseSuiteArgs(['--baseline', 'HEAD', '--baseline-from', __filename], REPO)).toThrow(
      `bench:suite: --baseline-from ${__filename} and --baseline HEAD are both given. Fix: keep one: the recorded baseline run or a new one.`,
    );
  });

  test('GIVEN several bad arguments WHEN the command line is read THEN every problem is reported at once, each with its fix', () => {
    expect(() => parseSuiteArgs(['--max-workers', 'two', '--baseline-dir', '/nowhere', 'test/missing.test.ts', '--fast', '--baseline'], REPO)).toThrow([
      'bench:suite: --max-workers must be a whole number or a percentage, got "two". Fix: e.g. --max-workers 2 or --max-workers 50%.',
      `bench:suite: no such test path "test/missing.test.ts" (relative to ${REPO}). Fix: give test files or folders of the repository, or nothing for the whole suite.`,
      'bench:suite: unknown option "--fast". Fix: use --baseline <commit>, --baseline-dir <dir>, --baseline-only, --baseline-from <file>, --current-from <file>, --save <file>, --keep, --max-workers <n> or --no-record.',
      'bench:suite: --baseline needs a value, got nothing. Fix: name a commit, e.g. --baseline 8040c3b.',
      'bench:suite: --baseline-dir /nowhere is given without --baseline. Fix: add --baseline <the commit checked out there>.',
      'bench:suite: --baseline-dir /nowhere has no node_modules. Fix: run npm ci there, or leave --baseline-dir out to check the commit out afresh.',
    ].join('\n'));
  });
});

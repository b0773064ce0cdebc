import { replaceBetweenMarkers, START_MARKER, END_MARKER, suiteTable, suiteTimes } from '../bench/suite-times';

/** bench:suite turns jest's --json report into the per-suite table of docs/benchmarks.md. */
const REPORT = {
  testResults: [
    { name: '/repo/cli/test/list.test.ts', startTime: 1_000, endTime: 3_500, status: 'passed', assertionResults: [{ status: 'passed' }, { status: 'passed' }] },
    { name: '/repo/workflows/test/local/json-path.test.ts', startTime: 1_000, endTime: 13_000, status: 'failed', assertionResults: [{ status: 'passed' }, { status: 'failed' }, { status: 'passed' }] },
    { name: '/repo/test/broken.test.ts', startTime: 2_000, endTime: 2_100, status: 'failed', assertionResults: [] },
  ],
};

describe('bench:suite', () => {
  test('GIVEN a jest --json report WHEN the suites are timed THEN each has its wall seconds, tests and failures, slowest first', () => {
    expect(suiteTimes(REPORT, '/repo')).toEqual([
      { suite: 'workflows/test/local/json-path.test.ts', seconds: 12, tests: 3, failed: 1 },
      { suite: 'cli/test/list.test.ts', seconds: 2.5, tests: 2, failed: 0 },
      // A file that failed to run (no tests) counts as one failure.
      { suite: 'test/broken.test.ts', seconds: 0.1, tests: 0, failed: 1 },
    ]);
  });

  test('GIVEN the timed suites WHEN the table is written THEN it has a row per suite and a total row', () => {
    expect(suiteTable(suiteTimes(REPORT, '/repo'))).toEqual([
      '| suite | wall (s) | tests | failed |',
      '|---|---:|---:|---:|',
      '| `workflows/test/local/json-path.test.ts` | 12.0 | 3 | 1 |',
      '| `cli/test/list.test.ts` | 2.5 | 2 | 0 |',
      '| `test/broken.test.ts` | 0.1 | 0 | 1 |',
      '| **3 suites** | 14.6 (sum) | 5 | 2 |',
    ]);
  });

  test('GIVEN docs/benchmarks.md with the markers WHEN a new table is written THEN only the text between them is replaced', () => {
    const before = `# Benchmarks\n\n## bench:suite\n\n${START_MARKER}\nold table\n${END_MARKER}\n\n## later\n`;
    expect(replaceBetweenMarkers(before, 'new table')).toBe(`# Benchmarks\n\n## bench:suite\n\n${START_MARKER}\nnew table\n${END_MARKER}\n\n## later\n`);
  });

  test('GIVEN docs/benchmarks.md without the markers WHEN a table is written THEN a bench:suite section with the markers is appended', () => {
    expect(replaceBetweenMarkers('# Benchmarks\n\n## other\n', 'table')).toBe(`# Benchmarks\n\n## other\n\n## bench:suite\n\n${START_MARKER}\ntable\n${END_MARKER}\n`);
  });
});

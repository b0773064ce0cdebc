/**
 * bench:suite — how long each test suite (file) of `npm test` takes, slowest first: runs jest
 * with `--json` over the given test paths (default: the whole suite, every project) and writes
 * the table into docs/benchmarks.md between the bench:suite markers (replacing the last table).
 *
 *   npm run bench:suite                                         # the whole suite (minutes)
 *   npm run bench:suite -- cli/test/list.test.ts workflows/test/local/json-path.test.ts
 *   npm run bench:suite -- --no-record cli/test/list.test.ts   # print only
 *
 * Wall seconds per suite are jest's own start and end of the file (in its worker, so suites
 * run side by side on several workers overlap); the total is the wall time of the jest run.
 * Build the packages first (npx projen build:packages), as `npm test` does.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { cpus, loadavg, tmpdir, totalmem } from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..');
const BENCHMARKS_MD = path.join(REPO, 'docs', 'benchmarks.md');
const SECTION = '## bench:suite';
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

/** One row of the table. */
export interface SuiteTime {
  readonly suite: string;
  readonly seconds: number;
  readonly tests: number;
  readonly failed: number;
}

/** The suites of a jest `--json` report, slowest first (ties by name). */
export function suiteTimes(report: { testResults: readonly JestFileResult[] }, root: string = REPO): SuiteTime[] {
  return report.testResults
    .map((r) => ({
      suite: path.relative(root, r.name),
      seconds: (r.endTime - r.startTime) / 1000,
      tests: r.assertionResults.length,
      failed: r.assertionResults.filter((a) => a.status === 'failed').length + (r.status === 'failed' && r.assertionResults.length === 0 ? 1 : 0),
    }))
    .sort((a, b) => b.seconds - a.seconds || a.suite.localeCompare(b.suite));
}

/** The Markdown table of `times`, with a total row. */
export function suiteTable(times: readonly SuiteTime[]): string[] {
  const lines = ['| suite | wall (s) | tests | failed |', '|---|---:|---:|---:|'];
  for (const t of times) lines.push(`| \`${t.suite}\` | ${t.seconds.toFixed(1)} | ${t.tests} | ${t.failed} |`);
  const sum = times.reduce((s, t) => s + t.seconds, 0);
  lines.push(`| **${times.length} suites** | ${sum.toFixed(1)} (sum) | ${times.reduce((s, t) => s + t.tests, 0)} | ${times.reduce((s, t) => s + t.failed, 0)} |`);
  return lines;
}

/** `text` with everything between the markers replaced by `block` (the section and markers created when missing). */
export function replaceBetweenMarkers(text: string, block: string): string {
  const start = text.indexOf(START_MARKER);
  const end = text.indexOf(END_MARKER);
  if (start >= 0 && end > start) return `${text.slice(0, start + START_MARKER.length)}\n${block}\n${text.slice(end)}`;
  return `${text.replace(/\n*$/, '\n')}\n${SECTION}\n\n${START_MARKER}\n${block}\n${END_MARKER}\n`;
}

function main(argv: string[]): void {
  const record = !argv.includes('--no-record');
  const paths = argv.filter((a) => a !== '--no-record');
  const missing = paths.filter((p) => !existsSync(path.resolve(REPO, p)));
  if (missing.length > 0) {
    throw new Error(`bench:suite: no such test path ${missing.map((p) => JSON.stringify(p)).join(', ')} (relative to ${REPO}). Fix: give test files or folders of the repository, or nothing for the whole suite.`);
  }
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'bench-suite-')), 'jest.json');
  const started = process.hrtime.bigint();
  // Paths are jest's regex patterns: escape them so a file is matched as written.
  const patterns = paths.map((p) => path.resolve(REPO, p).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--json', '--outputFile', out, ...patterns], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  if (!existsSync(out)) throw new Error(`bench:suite: jest wrote no report (exit ${jest.status}). Fix: run the same paths with npx jest to see why.`);
  const times = suiteTimes(JSON.parse(readFileSync(out, 'utf8')));

  const block = [
    `### bench:suite, ${new Date().toISOString()}, ${cpus().length} x ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()[0].toFixed(1)} at the end`,
    '',
    `\`npm run bench:suite${paths.length ? ` -- ${paths.join(' ')}` : ''}\`: ${paths.length ? 'the given paths' : 'the whole suite'}, one jest run (exit ${jest.status}), ${wallS.toFixed(1)} s wall; per suite jest's own start and end of the file, slowest first (suites on different workers overlap, so the sum exceeds the wall time).`,
    '',
    ...suiteTable(times),
  ].join('\n');
  console.log(block);
  if (record) {
    writeFileSync(BENCHMARKS_MD, replaceBetweenMarkers(existsSync(BENCHMARKS_MD) ? readFileSync(BENCHMARKS_MD, 'utf8') : '# Benchmarks\n', block));
    console.log(`Written to ${path.relative(REPO, BENCHMARKS_MD)} between ${START_MARKER} and ${END_MARKER}.`);
  }
  if (jest.status !== 0) process.exitCode = jest.status ?? 1;
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}

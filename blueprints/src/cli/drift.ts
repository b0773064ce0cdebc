import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';

/** A file that regeneration changed, added or removed. */
export interface DriftedFile {
  readonly path: string;
  readonly change: 'modified' | 'added' | 'deleted';
}

export interface DriftReport {
  readonly drifted: DriftedFile[];
}

/** Folders never part of a project's sources. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'cdk.out', 'lib', 'coverage']);

/**
 * Regenerates the project in `dir` and reports every file the regeneration changed.
 *
 * Works on a dirty work tree too: it compares the files before and after regeneration
 * instead of diffing against git, so only what the generator itself would change is reported.
 */
export function checkDrift(dir: string, regenerate: string[] = ['npx', 'projen']): DriftReport {
  const before = fingerprint(dir);
  const run = spawnSync(regenerate[0], regenerate.slice(1), { cwd: dir, encoding: 'utf-8', env: process.env });
  if (run.status !== 0) {
    throw new Error(
      `Regeneration failed in ${dir} (${regenerate.join(' ')} exited with ${run.status}):\n${run.stdout}${run.stderr}`,
    );
  }
  const after = fingerprint(dir);
  const drifted: DriftedFile[] = [];
  for (const [path, hash] of after) {
    const old = before.get(path);
    if (old === undefined) drifted.push({ path, change: 'added' });
    else if (old !== hash) drifted.push({ path, change: 'modified' });
  }
  for (const path of before.keys()) {
    if (!after.has(path)) drifted.push({ path, change: 'deleted' });
  }
  drifted.sort((a, b) => a.path.localeCompare(b.path));
  return { drifted };
}

/** The message printed when drift was found. */
export function formatDrift(report: DriftReport): string {
  return [
    `Drift: regenerating changed ${report.drifted.length} file${report.drifted.length === 1 ? '' : 's'}:`,
    ...report.drifted.map((f) => `  ${f.change.padEnd(8)} ${f.path}`),
    '',
    'A generated (managed) file was edited by hand, or the manifest changed without regenerating.',
    'Fix: put the change in the manifest (.projenrc.ts) or in a file the team owns, run "npx projen" and commit the result.',
  ].join('\n');
}

/** path -> content hash of every file that git would track (or, outside git, every file). */
function fingerprint(dir: string): Map<string, string> {
  const files = gitFiles(dir) ?? walk(dir, dir);
  const result = new Map<string, string>();
  for (const file of files) {
    const full = join(dir, file);
    if (!existsSync(full) || !statSync(full).isFile()) continue;
    result.set(file, createHash('sha1').update(readFileSync(full)).digest('hex'));
  }
  return result;
}

function gitFiles(dir: string): string[] | undefined {
  const run = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: dir, encoding: 'utf-8' });
  if (run.status !== 0) return undefined;
  return run.stdout.split('\0').filter(Boolean);
}

function walk(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED_DIRS.has(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(root, full));
    else if (entry.isFile()) out.push(relative(root, full));
  }
  return out;
}

/** CLI entry: `fleet-drift [dir]`. */
export function main(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      [
        'Usage: fleet-drift [dir]',
        '',
        'Regenerates the projen project in dir (default: the current folder) with "npx projen"',
        'and fails, listing the files, if regeneration changed anything. Run it in CI after the',
        'tests: a generated file must never differ from what its blueprint generates.',
        '',
      ].join('\n'),
    );
    return 0;
  }
  const dir = argv.find((a) => !a.startsWith('-')) ?? process.cwd();
  const report = checkDrift(dir);
  if (report.drifted.length === 0) {
    process.stdout.write('No drift: every generated file matches what its blueprint generates.\n');
    return 0;
  }
  process.stderr.write(`${formatDrift(report)}\n`);
  return 1;
}

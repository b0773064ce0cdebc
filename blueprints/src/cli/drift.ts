import { spawnSync, SpawnSyncReturns } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { isAbsolute, join, relative, resolve, sep } from 'path';
import { createTwoFilesPatch } from 'diff';
import { FleetError } from '../errors';
import { readSynthesisRecord, SYNTHESIS_RECORD_ENV, synthesisFailure } from '../private/synthesis-record';

/** A file that regeneration changed, added or removed in the work tree. */
export interface DriftedFile {
  readonly path: string;
  /**
   * - `modified`: its content changed;
   * - `added` / `deleted`: regeneration created or removed it;
   * - `mode`: its executable bit changed;
   * - `symlink`: a managed path is a symbolic link, where the blueprint generates a regular file.
   */
  readonly change: 'modified' | 'added' | 'deleted' | 'mode' | 'symlink';
  /** What changed, for `mode` and `symlink`. */
  readonly detail?: string;
  /** For a modified text file: the unified diff from the file as found to the file as generated. */
  readonly diff?: string;
}

/** A managed file that git does not record as the blueprint generates it. */
export interface UnrecordedFile {
  readonly path: string;
  /**
   * - `untracked`: git does not track it;
   * - `ignored`: git does not track it and a .gitignore rule hides it;
   * - `mode`: git records another mode (executable bit, or a symlink) than generation produces.
   */
  readonly problem: 'untracked' | 'ignored' | 'mode';
  readonly detail: string;
}

/** A Jest manual mock of an installed package: Jest uses it in every test of its project, the managed guard tests included. */
export interface ShadowingMock {
  readonly path: string;
  /** The package (or package subpath) it replaces. */
  readonly replaces: string;
}

export interface DriftReport {
  /** What regeneration changed in the work tree. */
  readonly drifted: DriftedFile[];
  /** Managed files git does not track, or tracks with another mode (empty outside a git repository). */
  readonly unrecorded: UnrecordedFile[];
  /** Team files that would replace a package under the managed tests without changing them. */
  readonly shadowingMocks: ShadowingMock[];
}

/** The drift check could not run to the end; never a clean result. */
export class DriftCheckError extends FleetError {}

/** Folders never part of a project's sources. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'cdk.out', 'lib', 'coverage']);
/** Lines of diff shown per file; the rest is counted. */
const DIFF_LINES_SHOWN = 200;

/** One path as found on disk: content hash and executable bit, or a symlink's target. */
interface Entry {
  readonly hash: string;
  readonly executable: boolean;
  readonly symlink: boolean;
  readonly content?: Buffer;
}

/**
 * Regenerates the project in `dir` and reports every managed file that is not as generated.
 *
 * The files compared are every file git tracks or would track, plus every path the blueprints
 * manage (the `.projen/files.json` of every project the synthesis reports in its completion
 * record, and those found before it), whether or not git tracks or ignores them. Content and
 * executable bit are compared before and after regeneration, so it also works on a dirty work
 * tree and reports only what the generator itself changes. In a git repository, a managed path
 * that git does not track (or ignores), or tracks with another mode, is drift too: CI checks
 * out only what git records.
 *
 * Fails closed: a regeneration that exits non-zero, is ended by a signal, or exits without its
 * completion record throws `DriftCheckError`.
 */
export function checkDrift(dir: string, regenerate: string[] = ['npx', 'projen']): DriftReport {
  const root = realpathSync(resolve(dir));
  const before = snapshot(root, new Set([...listWorkTree(root), ...managedPathsFound(root)]));
  const projects = runRegeneration(root, regenerate);

  const managed = new Set(projects.flatMap((project) => managedPathsOf(root, project)));
  const afterPaths = new Set([...listWorkTree(root), ...managed, ...before.keys()]);
  const after = snapshot(root, afterPaths);

  const drifted: DriftedFile[] = [];
  for (const path of [...afterPaths].sort()) {
    const old = before.get(path);
    const now = after.get(path);
    if (now?.symlink && managed.has(path)) {
      drifted.push({ path, change: 'symlink', detail: `a symbolic link to ${now.hash.slice('symlink:'.length)}; the blueprint generates a regular file` });
    }
    if (!old && !now) continue;
    if (!old) drifted.push({ path, change: 'added' });
    else if (!now) drifted.push({ path, change: 'deleted' });
    else if (old.hash !== now.hash) drifted.push({ path, change: 'modified', diff: unifiedDiff(path, old, now) });
    else if (old.executable !== now.executable) {
      drifted.push({ path, change: 'mode', detail: `${describeExecutable(old)} before, ${describeExecutable(now)} as generated` });
    }
  }
  return { drifted, unrecorded: unrecordedFiles(root, managed, after), shadowingMocks: shadowingMocks(root, projects, [...afterPaths]) };
}

/** Extensions Jest resolves a manual mock by (its default moduleFileExtensions). */
const MOCK_EXTENSION = /\.(ts|tsx|js|jsx|mjs|cjs|json|node)$/;

/**
 * Jest replaces a package by any file under a `__mocks__` folder of the project whose path below
 * that folder names the package (`__mocks__/aws-cdk-lib/assertions.ts`), in every test file and
 * without a `jest.mock` call (https://jestjs.io/docs/manual-mocks#mocking-node-modules). A team
 * file there could make the managed guard tests (no SQS, async config, ...) assert nothing while
 * no managed file changed, so such a mock is reported like drift. Mocks of the team's own modules
 * (`src/__mocks__/scan.ts` beside `src/scan.ts`) need `jest.mock` and are left alone unless their
 * name is also an installed package's.
 */
function shadowingMocks(root: string, projects: string[], paths: string[]): ShadowingMock[] {
  const found: ShadowingMock[] = [];
  for (const path of paths.sort()) {
    const at = path.lastIndexOf('__mocks__/');
    if (at === -1 || !MOCK_EXTENSION.test(path)) continue;
    const full = join(root, path);
    const project = projects.map((p) => (existsSync(p) ? realpathSync(p) : p)).filter((p) => full.startsWith(`${p}${sep}`)).sort((a, b) => b.length - a.length)[0];
    if (!project) continue;
    const replaces = path.slice(at + '__mocks__/'.length).replace(MOCK_EXTENSION, '');
    const segments = replaces.split('/');
    const pkg = segments[0].startsWith('@') ? segments.slice(0, 2).join('/') : segments[0];
    if (isInstalled(root, project, pkg)) found.push({ path, replaces });
  }
  return found;
}

/** Whether `pkg` resolves from `project` as Node would: a node_modules folder in it or any folder above, up to `root`. */
function isInstalled(root: string, project: string, pkg: string): boolean {
  for (let dir = project; ; dir = join(dir, '..')) {
    if (existsSync(join(dir, 'node_modules', pkg))) return true;
    if (dir === root || relative(root, dir).startsWith('..')) return false;
  }
}

/** The message printed when drift was found. */
export function formatDrift(report: DriftReport): string {
  const lines: string[] = [];
  const unrecorded = report.unrecorded ?? [];
  if (report.drifted.length > 0) {
    lines.push(`Drift: regenerating changed ${plural(report.drifted.length, 'file')}:`);
    for (const f of report.drifted) lines.push(`  ${f.change.padEnd(8)} ${f.path}${f.detail ? ` (${f.detail})` : ''}`);
  }
  if (unrecorded.length > 0) {
    lines.push(`Drift: git does not record ${plural(unrecorded.length, 'managed file')} as generated:`);
    for (const f of unrecorded) lines.push(`  ${f.problem.padEnd(9)} ${f.path}: ${f.detail}`);
  }
  const mocks = report.shadowingMocks ?? [];
  if (mocks.length > 0) {
    lines.push(`Drift: ${plural(mocks.length, 'Jest manual mock')} would replace an installed package in every test, the managed ones included:`);
    for (const m of mocks) lines.push(`  mock      ${m.path}: replaces "${m.replaces}"`);
    lines.push('  Fix: mock it only where a test needs it, with jest.mock("<package>", factory) inside that test file, and delete the file under __mocks__.');
  }
  const diffs = report.drifted.filter((f) => f.diff);
  if (diffs.length > 0) {
    lines.push('', 'What regeneration changed (- as found, + as generated):');
    for (const f of diffs) lines.push(f.diff!.trimEnd());
  }
  lines.push(
    '',
    'A generated (managed) file was edited by hand, hidden from git, or the manifest changed without regenerating.',
    'Fix: put the change in the manifest (.projenrc.ts) or in a file the team owns, run "npx projen", "git add" every file listed ' +
      '(remove any .gitignore rule that hides one) and commit the result.',
  );
  return lines.join('\n');
}

/** Runs the regeneration with a completion record; returns the outdir of every project it generated. */
function runRegeneration(root: string, regenerate: string[]): string[] {
  const scratch = mkdtempSync(join(tmpdir(), 'fleet-drift-'));
  const recordFile = join(scratch, 'record.jsonl');
  try {
    const run = spawnSync(regenerate[0], regenerate.slice(1), {
      cwd: root,
      encoding: 'utf-8',
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, [SYNTHESIS_RECORD_ENV]: recordFile },
    });
    const what = `regeneration ("${regenerate.join(' ')}" in ${relative(process.cwd(), root) || '.'})`;
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
    const end = run.error
      ? `could not start, got "${run.error.message}"`
      : run.signal
        ? `was ended by signal ${run.signal}`
        : run.status !== 0
          ? `exited with code ${run.status}`
          : undefined;
    if (end) {
      throw new DriftCheckError(`${output}Drift check: ${what} ${end}, so nothing was compared. Fix: correct the error above, then run the drift check again.`);
    }
    const record = readSynthesisRecord(recordFile);
    const failure = synthesisFailure(run, record, root, `"${regenerate.join(' ')}"`);
    if (failure || !record.completedProjects) {
      throw new DriftCheckError(`${output}${failure}\nDrift check: ${what} did not complete, so nothing was compared.`);
    }
    return record.completedProjects;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Paths (relative to `root`) that `project`'s `.projen/files.json` lists, inside `root`. */
function managedPathsOf(root: string, project: string): string[] {
  const file = join(project, '.projen', 'files.json');
  if (!existsSync(file)) return [];
  let files: unknown;
  try {
    files = JSON.parse(readFileSync(file, 'utf-8')).files;
  } catch (error) {
    throw new DriftCheckError(
      `${relative(root, file)}: cannot be read as JSON, got "${(error as Error).message}". Fix: run "npx projen" to rewrite it, then run the drift check again.`,
    );
  }
  if (!Array.isArray(files)) return [];
  return files
    .filter((f): f is string => typeof f === 'string')
    .map((f) => relative(root, resolve(project, f)))
    .filter((f) => f && !f.startsWith(`..${sep}`) && f !== '..' && !isAbsolute(f))
    .map(toPosix);
}

/** Managed paths of every project found on disk before regeneration (every `.projen/files.json`). */
function managedPathsFound(root: string): string[] {
  return findProjects(root, root).flatMap((project) => managedPathsOf(root, project));
}

function findProjects(root: string, dir: string): string[] {
  const found = existsSync(join(dir, '.projen', 'files.json')) ? [dir] : [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) found.push(...findProjects(root, join(dir, entry.name)));
  }
  return found;
}

/** Every file git tracks or would track under `root` (outside git: every file). */
function listWorkTree(root: string): string[] {
  const git = gitLines(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  return git ?? walk(root, root);
}

function walk(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED_DIRS.has(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(root, full));
    else if (entry.isFile() || entry.isSymbolicLink()) out.push(toPosix(relative(root, full)));
  }
  return out;
}

function snapshot(root: string, paths: Set<string>): Map<string, Entry> {
  const result = new Map<string, Entry>();
  for (const path of paths) {
    const full = join(root, path);
    let stat;
    try {
      stat = lstatSync(full);
    } catch {
      continue;
    }
    // A symlink is fingerprinted as itself, never followed out of the repository.
    if (stat.isSymbolicLink()) {
      result.set(path, { hash: `symlink:${readlinkSync(full)}`, executable: false, symlink: true });
    } else if (stat.isFile()) {
      const content = readFileSync(full);
      // git records only the owner's executable bit (100755 or 100644).
      result.set(path, { hash: createHash('sha1').update(content).digest('hex'), executable: (stat.mode & 0o100) !== 0, symlink: false, content });
    }
  }
  return result;
}

/** Managed files that git does not track, ignores, or tracks with another mode than generated. */
function unrecordedFiles(root: string, managed: Set<string>, after: Map<string, Entry>): UnrecordedFile[] {
  const staged = gitLines(root, ['ls-files', '-z', '--stage']);
  if (staged === undefined) return [];
  const modes = new Map<string, string>();
  for (const line of staged) {
    const tab = line.indexOf('\t');
    modes.set(line.slice(tab + 1), line.slice(0, line.indexOf(' ')));
  }
  const result: UnrecordedFile[] = [];
  const untracked = [...managed].filter((path) => !modes.has(path) && after.has(path)).sort();
  const ignoredBy = ignoreRules(root, untracked);
  for (const path of untracked) {
    const rule = ignoredBy.get(path);
    result.push(
      rule
        ? { path, problem: 'ignored', detail: `git ignores this managed file (${rule}), so CI never sees it` }
        : { path, problem: 'untracked', detail: 'git does not track this managed file' },
    );
  }
  for (const path of [...managed].sort()) {
    const recorded = modes.get(path);
    const now = after.get(path);
    if (!recorded || !now || now.symlink) continue;
    const generated = now.executable ? '100755' : '100644';
    if (recorded !== generated) {
      result.push({ path, problem: 'mode', detail: `git records mode ${recorded}${recorded === '120000' ? ' (a symbolic link)' : ''}, the blueprint generates ${generated}` });
    }
  }
  return result.sort((a, b) => a.path.localeCompare(b.path) || a.problem.localeCompare(b.problem));
}

/** path -> the .gitignore rule that ignores it, for those of `paths` that git ignores. */
function ignoreRules(root: string, paths: string[]): Map<string, string> {
  const rules = new Map<string, string>();
  if (paths.length === 0) return rules;
  const run = spawnSync('git', ['check-ignore', '-v', '-z', '--stdin'], { cwd: root, encoding: 'utf-8', input: paths.map((p) => `${p}\0`).join('') });
  // Exit 1: none of the paths is ignored.
  if (run.error || run.signal || (run.status !== 0 && run.status !== 1)) throw gitFailed(root, 'check-ignore', run);
  const top = gitLines(root, ['rev-parse', '--show-toplevel'], '\n')?.[0] ?? root;
  const fields = run.stdout.split('\0');
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const [source, line, pattern, path] = fields.slice(i, i + 4);
    // A negated pattern (!pattern) that matches means the path is NOT ignored.
    if (!source || pattern.startsWith('!')) continue;
    rules.set(toPosix(path), `rule "${pattern}" in ${toPosix(relative(root, join(top, source)))}:${line}`);
  }
  return rules;
}

/**
 * Output of a git command in `root`, split on NUL; undefined when `root` is not in a git work
 * tree (or git is not installed). Any other failure is an error: a check that silently lost
 * git's view would pass over what git hides.
 */
function gitLines(root: string, args: string[], separator = '\0'): string[] | undefined {
  const run = spawnSync('git', args, { cwd: root, encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return undefined;
  if (run.status === 128 && /not a git repository/i.test(run.stderr)) return undefined;
  if (run.error || run.signal || run.status !== 0) throw gitFailed(root, args[0], run);
  return run.stdout.split(separator).filter(Boolean);
}

function gitFailed(root: string, command: string, run: SpawnSyncReturns<string>): DriftCheckError {
  const end = run.error ? `could not start (${run.error.message})` : run.signal ? `was ended by signal ${run.signal}` : `exited with code ${run.status}`;
  return new DriftCheckError(
    `Drift check: "git ${command}" in ${root} ${end}, so it cannot tell which managed files git records, got "${(run.stderr ?? '').trim()}". Fix: repair the git repository (or install git), then run the drift check again.`,
  );
}

function unifiedDiff(path: string, before: Entry, after: Entry): string | undefined {
  if (!before.content || !after.content || before.content.includes(0) || after.content.includes(0)) return undefined;
  const patch = createTwoFilesPatch(path, path, before.content.toString('utf-8'), after.content.toString('utf-8'), 'as found', 'as generated');
  // Keep the ---/+++ headers and hunks; drop the "Index:" and "====" lines createTwoFilesPatch starts with.
  const lines = patch.split('\n');
  lines.splice(0, lines.findIndex((line) => line.startsWith('--- ')));
  if (lines.length <= DIFF_LINES_SHOWN) return lines.join('\n');
  return [...lines.slice(0, DIFF_LINES_SHOWN), `... ${lines.length - DIFF_LINES_SHOWN} more lines of diff`].join('\n');
}

function describeExecutable(entry: Entry): string {
  return entry.executable ? 'executable' : 'not executable';
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** CLI entry: `fleet-drift [dir]`. */
export function main(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      [
        'Usage: fleet-drift [dir]',
        '',
        'Regenerates the projen project in dir (default: the current folder) with "npx projen"',
        'and fails, listing the files and showing the diff, if regeneration changed anything, or if',
        'git does not track a managed file (or ignores it, or records another mode). Run it in CI',
        'before the tests: a generated file must never differ from what its blueprint generates.',
        '',
      ].join('\n'),
    );
    return 0;
  }
  const dir = argv.find((a) => !a.startsWith('-')) ?? process.cwd();
  const result = runDriftCheck(dir);
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.status;
}

/** What `fleet-drift` prints and its exit code. */
export interface DriftCheckResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The drift check as the `fleet-drift` bin runs it (checkDrift, then the message), returning its
 * output and exit code instead of writing them: for callers in the same process (tests), which
 * would otherwise start a Node process per check only to get here.
 */
export function runDriftCheck(dir: string, regenerate?: string[]): DriftCheckResult {
  let report: DriftReport;
  try {
    report = checkDrift(dir, regenerate);
  } catch (error) {
    if (!(error instanceof DriftCheckError)) throw error;
    return { status: 1, stdout: '', stderr: `${error.message}\n` };
  }
  if (report.drifted.length === 0 && report.unrecorded.length === 0 && (report.shadowingMocks ?? []).length === 0) {
    return { status: 0, stdout: 'No drift: every generated file matches what its blueprint generates.\n', stderr: '' };
  }
  return { status: 1, stdout: '', stderr: `${formatDrift(report)}\n` };
}

import * as path from 'path';
import { formatProblem, Problem } from '@fleet/contracts';
import { Command } from 'commander';
// Subpaths free of projen, not the package index: the CLI must not load projen to start.
import { applyOwnedUpdates, FilePolicy, filesByPolicy, OwnedLedgerError, OwnedUpdate, planOwnedUpdates } from '@fleet/blueprints/owned';
import { UnsafePathError } from '@fleet/blueprints/files';
import { CliError } from '../errors';
import { findFleetRoot, isServiceFolder, listServices, locateService } from '../fleet-root';

export interface OwnedOptions {
  apply?: boolean;
  withConflicts?: boolean;
  diff?: boolean;
  json?: boolean;
  /** Report what `--apply` would change, write nothing, and fail (exit 1) when any update waits: for CI. */
  check?: boolean;
}

/** What `fleet owned` prints and what decides its exit code. */
export interface OwnedReport {
  readonly text: string;
  /** Conflicting updates left as they were. */
  readonly conflictsLeft: number;
  /** Blueprint updates not taken yet (every status: clean, conflict, missing, unresolved, not-text). */
  readonly waiting: number;
}

/** `fleet owned`: blueprint updates of the files a team owns, merged only when asked. */
export function registerOwned(program: Command): void {
  program
    .command('owned')
    .summary('show and take blueprint updates of the files your team owns (three-way merge)')
    .description([
      'Owned files (handlers, src/workflow.ts, their tests, sample events) are written once and never overwritten by npx projen. When a blueprint later generates something else for one of them, npx projen records the proposal in .projen/owned-files.json, next to what the blueprint generated before (the base). This command merges each proposal into your file, line by line: the blueprint\'s changes are taken, every edit of yours is kept; where both changed the same lines, that is a conflict.',
      '',
      'Without --apply nothing is written. --apply writes the clean merges and records them as taken; files with conflicts are left untouched unless --with-conflicts, which writes them with <<<<<<< ||||||| ======= >>>>>>> markers (yours, blueprint before, blueprint now) for you to resolve. Review with git diff, then commit.',
    ].join('\n'))
    .argument('[service]', 'a project under projects/ (default: the project in the current folder, or every project of the fleet)')
    .option('--diff', 'print, for each update, the unified diff from your file to the merged file')
    .option('--apply', 'write the clean merges into your files and record them as taken')
    .option('--with-conflicts', 'with --apply: also write files with conflicts, with conflict markers')
    .option('--json', 'print the updates as JSON')
    .option('--check', 'write nothing and exit 1 when any owned file has a blueprint update not taken yet (for CI)')
    .addHelpText('after', [
      '',
      'Examples:',
      '  npx fleet owned                       # every project: which owned files have updates, clean or conflicting',
      '  npx fleet owned scan-ingest --diff    # what taking them would change',
      '  npx fleet owned scan-ingest --apply   # take the clean ones; then git diff, npx projen test, commit',
      '  npx fleet owned --check               # in CI: exit 1 while any owned file has an update not taken',
      '',
    ].join('\n'))
    .action((service: string | undefined, options: OwnedOptions) => {
      const { text, conflictsLeft, waiting } = runOwned(service, options);
      process.stdout.write(text);
      if (options.check && waiting > 0) throw new CliError(checkProblem(waiting));
      if (conflictsLeft > 0) {
        throw new CliError({
          subject: 'fleet owned',
          problem: `${conflictsLeft} owned file${conflictsLeft === 1 ? ' has' : 's have'} conflicting blueprint updates, left as ${conflictsLeft === 1 ? 'it was' : 'they were'}`,
          fix: 'look at them with --diff, then run again with --apply --with-conflicts and resolve the markers, or edit the files by hand',
        });
      }
    });
}

/** The projects to look at: the one named, the one around `cwd`, or every project of the fleet. */
function projectsFor(service: string | undefined, cwd: string): Array<{ name: string; dir: string }> {
  if (service !== undefined || isServiceFolder(cwd)) return [locateService(service, cwd)];
  const root = findFleetRoot(cwd);
  return listServices(root).map((name) => ({ name, dir: path.join(root, 'projects', name) }));
}

/** What `fleet owned` prints, and how many conflicting updates it left (for the exit code). */
export function runOwned(service: string | undefined, options: OwnedOptions, cwd: string = process.cwd()): OwnedReport {
  if (options.check && (options.apply || options.withConflicts)) {
    throw new CliError({ subject: 'fleet owned --check', problem: 'writes nothing and takes no --apply or --with-conflicts', value: options.apply ? '--apply' : '--with-conflicts', fix: 'run --check alone (in CI), or drop --check to take the updates' });
  }
  if (options.withConflicts && !options.apply) {
    throw new CliError({ subject: 'fleet owned --with-conflicts', problem: 'only changes what --apply writes, and --apply is not given', fix: 'add --apply, or drop --with-conflicts to only look' });
  }
  const results: Array<{ project: string; updates: OwnedUpdate[]; applied: string[]; byPolicy: Record<FilePolicy, string[]> }> = [];
  for (const project of projectsFor(service, cwd)) {
    try {
      // Only three-way-merge files get proposals; add-only and never-update files are named apart.
      const byPolicy = filesByPolicy(project.dir);
      if (options.apply) {
        const { applied, skipped } = applyOwnedUpdates(project.dir, { withConflicts: options.withConflicts });
        results.push({ project: project.name, updates: [...applied, ...skipped].sort((a, b) => a.path.localeCompare(b.path)), applied: applied.map((u) => u.path), byPolicy });
      } else {
        results.push({ project: project.name, updates: planOwnedUpdates(project.dir), applied: [], byPolicy });
      }
    } catch (error) {
      if (error instanceof OwnedLedgerError || error instanceof UnsafePathError) throw CliError.wrap(project.name, error);
      throw error;
    }
  }
  const conflictsLeft = results.flatMap((r) => r.updates.filter((u) => u.status === 'conflict' && !r.applied.includes(u.path))).length;
  const pending = results.flatMap((r) => r.updates.filter((u) => !r.applied.includes(u.path)));
  const waiting = pending.length;
  if (options.json) {
    const json = results.map((r) => ({
      project: r.project,
      updates: r.updates.map((u) => ({ path: u.path, status: u.status, conflicts: u.conflicts, applied: r.applied.includes(u.path), ...(options.diff ? { diff: u.diff } : {}) })),
      notCompared: { 'add-only': r.byPolicy['add-only'], 'never-update': r.byPolicy['never-update'] },
    }));
    return { text: `${JSON.stringify(json, null, 2)}\n`, conflictsLeft, waiting };
  }
  const lines: string[] = [];
  for (const r of results) {
    const notCompared = (['add-only', 'never-update'] as const).filter((p) => r.byPolicy[p].length > 0).map((p) => `${r.byPolicy[p].length} ${p} (${r.byPolicy[p].join(', ')})`);
    const aside = notCompared.length > 0 ? `not compared with the blueprint (yours as they are): ${notCompared.join(', ')}` : undefined;
    if (r.updates.length === 0) {
      lines.push(`${r.project}: up to date${aside ? `; ${aside}` : ''}`);
      continue;
    }
    lines.push(`${r.project}:`);
    const width = Math.max(...r.updates.map((u) => u.path.length));
    for (const u of r.updates) lines.push(`  ${u.path.padEnd(width)}  ${describe(u, r.applied.includes(u.path))}`);
    if (aside) lines.push(`  ${aside}`);
    if (options.diff) for (const u of r.updates) if (u.diff) lines.push('', u.diff.trimEnd());
  }
  if (!options.apply && !options.check && pending.some((u) => u.status !== 'missing')) {
    lines.push('', 'Nothing was written. Take the clean updates with --apply (see them first with --diff).');
  }
  if (options.apply && results.some((r) => r.applied.length > 0)) {
    lines.push('', 'Review with git diff, run the tests (npx projen test in the project), then commit.');
  }
  return { text: `${lines.join('\n')}\n`, conflictsLeft, waiting };
}

/** The problem `--check` fails with: how many updates wait and how to take them. */
export function checkProblem(waiting: number): Problem {
  return {
    subject: 'fleet owned --check',
    problem: `${waiting} blueprint update${waiting === 1 ? '' : 's'} of owned files ${waiting === 1 ? 'is' : 'are'} not taken yet (nothing was written)`,
    fix: 'run npx fleet owned --apply (see them first with --diff), resolve any conflict, test and commit',
  };
}

/** The message `--check` fails with. */
export function checkFailure(waiting: number): string {
  return formatProblem(checkProblem(waiting));
}

function describe(u: OwnedUpdate, applied: boolean): string {
  if (u.status === 'missing') return 'update not taken: you deleted the file (npx projen writes it again from the blueprint)';
  if (u.status === 'unresolved') return 'update not taken: the file has the conflict markers --with-conflicts wrote (or changed while merging); resolve them, then run again';
  if (u.status === 'not-text') return `update not taken: the file ${u.reason}, and fleet owned never rewrites it; take the blueprint's change by hand (its text is in .projen/owned-files.json)`;
  if (applied) return u.status === 'conflict' ? `merged with ${u.conflicts} conflict${u.conflicts === 1 ? '' : 's'} marked: resolve the markers` : 'merged';
  if (u.status === 'conflict') return `update with ${u.conflicts} conflict${u.conflicts === 1 ? '' : 's'}: left as it is`;
  return 'update merges cleanly';
}

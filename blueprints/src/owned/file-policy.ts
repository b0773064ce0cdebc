import type { Problem } from '@fleet/contracts';
import { isRelativeInside } from '../private/safe-fs';

/**
 * What regeneration does with a file the blueprint writes:
 * - `always-update`: managed. Written on every `npx projen`, read-only, with projen's marker; a
 *   hand edit is drift.
 * - `three-way-merge`: owned. Written when missing; a later blueprint change is recorded as a
 *   proposal in `.projen/owned-files.json` and merged into the team's file only by
 *   `fleet owned --apply`.
 * - `add-only`: owned. Written when missing (again after the team deletes it); blueprint changes
 *   are never proposed: the file is the team's as it is.
 * - `never-update`: owned. Written once, the first time the project generates it; never written
 *   again, not even after the team deletes it, and never proposed an update.
 */
export type FilePolicy = 'always-update' | 'never-update' | 'add-only' | 'three-way-merge';

/** Every policy, in the order error messages list them. */
export const FILE_POLICIES: readonly FilePolicy[] = ['always-update', 'never-update', 'add-only', 'three-way-merge'];

/** The policies that make a file the team's (every policy but `always-update`). */
export const OWNED_POLICIES: readonly FilePolicy[] = ['never-update', 'add-only', 'three-way-merge'];

/**
 * Path glob (relative to the project, picomatch syntax, `/` separators) -> policy. When several
 * globs match a file the last one wins, as in `.gitattributes` and CODEOWNERS.
 */
export type FilePolicies = Readonly<Record<string, FilePolicy>>;

/**
 * Problems of a `files` option seen on its own (an object of relative globs to known policies);
 * what the globs match is checked when the project knows its files (`FilePolicySet.apply`).
 * `subject` is where the option is, e.g. `services["scan-ingest"].files`.
 */
export function filePoliciesProblems(subject: string, files: unknown): Problem[] {
  if (files === undefined) return [];
  if (typeof files !== 'object' || files === null || Array.isArray(files)) {
    return [{ subject, problem: 'must be an object of path globs to file policies', value: files, fix: `write e.g. files: { "src/functions/**": "never-update" }; the policies are ${policyList()}` }];
  }
  const problems: Problem[] = [];
  for (const [glob, policy] of Object.entries(files as Record<string, unknown>)) {
    const at = `${subject}[${JSON.stringify(glob.length > 80 ? `${glob.slice(0, 80)}...` : glob)}]`;
    // `..` also counts inside a brace list (`{..,src}/**`); a range (`{1..3}`) is not a segment.
    if (glob.trim() === '' || !isRelativeInside(glob.replace(/[*?[\]{}()!+@]/g, 'x')) || glob.split(/[\\/{},]/).includes('..')) {
      problems.push({ subject: at, problem: 'must be a glob of paths inside the project, relative to it', value: glob, fix: 'write it relative to the project folder with / between folders, e.g. "src/functions/**"' });
      continue;
    }
    const complexity = globComplexityProblem(glob);
    if (complexity) {
      problems.push({ subject: at, problem: complexity, value: glob.length > 80 ? `${glob.slice(0, 80)}...` : glob, fix: 'write a simpler glob, e.g. "src/functions/**" or "test/**/*.test.ts"' });
      continue;
    }
    if (!FILE_POLICIES.includes(policy as FilePolicy)) {
      problems.push({ subject: at, problem: 'is not a file policy', value: policy, fix: `use one of ${policyList()}` });
    }
  }
  return problems;
}

/** Longest glob accepted: far beyond any path a blueprint writes, far below picomatch's own limit (65,536, where it throws). */
export const MAX_GLOB_LENGTH = 256;
/** Most `*` in one path segment: picomatch compiles each to a lazy `[^/]*?`, and k of them backtrack in O(n^k) on a failing name. */
export const MAX_STARS_PER_SEGMENT = 3;

/**
 * Why a glob is refused before it is compiled, or undefined. Every glob is tried against every
 * file of the service on every `npx projen`, so a glob must not be able to stall generation:
 * measured with picomatch 4.0.7, `*a` eight times then `b` takes 32 s against one 60-character
 * file name (six times, 0.5 s), and extglobs (`+(...)`, `*(...)`) nest quantifiers, the classic
 * exponential backtracking. `**` as a whole segment compiles without that (50 in a row: 1 ms).
 */
function globComplexityProblem(glob: string): string | undefined {
  if (glob.length > MAX_GLOB_LENGTH) return `is longer than ${MAX_GLOB_LENGTH} characters (${glob.length})`;
  if (/[*+?@!]\(/.test(glob)) return 'uses an extglob pattern ("+(...)", "*(...)", "?(...)", "@(...)", "!(...)"), which can make matching take exponential time';
  for (const segment of glob.split('/')) {
    const stars = segment === '**' ? 0 : (segment.match(/\*/g) ?? []).length;
    if (stars > MAX_STARS_PER_SEGMENT) return `has ${stars} "*" in the folder or file name ${JSON.stringify(segment)} (at most ${MAX_STARS_PER_SEGMENT}), which can make matching take minutes`;
  }
  return undefined;
}

function policyList(): string {
  return FILE_POLICIES.map((p) => `"${p}"`).join(', ');
}

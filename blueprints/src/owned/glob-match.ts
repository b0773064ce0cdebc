import picomatch from 'picomatch';
import type { FilePolicies, FilePolicy } from './file-policy';

// Apart from file-policy.ts: the CLI reads policies without loading a glob matcher.

/** True when `file` (project-relative, `/` separators) matches `glob`; dotfiles match like any file. */
export function globMatches(glob: string, file: string): boolean {
  let matcher = MATCHERS.get(glob);
  if (!matcher) {
    matcher = picomatch(glob, { dot: true });
    MATCHERS.set(glob, matcher);
  }
  return matcher(file);
}

/** Compiled globs: a fleet asks the same few globs about every file of every service. */
const MATCHERS = new Map<string, (file: string) => boolean>();

/** The policy the last matching glob of `policies` gives `file`, if any matches. */
export function matchingPolicy(policies: FilePolicies | undefined, file: string): FilePolicy | undefined {
  let found: FilePolicy | undefined;
  for (const [glob, policy] of Object.entries(policies ?? {})) if (globMatches(glob, file)) found = policy;
  return found;
}

import { formatProblem, formatProblemList, Problem } from '@fleet/contracts';

/** One problem found in the fleet manifest, or in a blueprint's options (the fleet's one problem format). */
export type ManifestProblem = Problem;
export { formatProblem };

/** Base class of every error this package raises on purpose. */
export class FleetError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The manifest (or a blueprint's options) is invalid. Carries every problem found, so a user
 * fixes them all in one round instead of one per run. Thrown before any file is written.
 */
export class FleetManifestError extends FleetError {
  constructor(public readonly problems: readonly ManifestProblem[], source = 'The fleet manifest (.projenrc.ts)') {
    super(formatProblemList(problems, source, '; no file was changed'));
  }
}

/**
 * Regeneration would overwrite or delete a file that a team owns. Thrown before any file is
 * written; losing a team's edit is the worst thing this tool could do.
 */
export class OwnedFileConflictError extends FleetError {}

/** One path the fleet refused to write or delete, and why. */
export interface PathRefusal {
  /** The path as the user sees it (relative to the working folder when inside it). */
  readonly path: string;
  /** Why, e.g. "is a symbolic link; the fleet never writes through one". */
  readonly problem: string;
}

/**
 * A write, rename or delete would leave the project, go through a symbolic link, or land on
 * something that is not a regular file. Every such path is listed; when raised before
 * synthesis (`nothingWritten`), no file was changed.
 */
export class UnsafePathError extends FleetError {
  constructor(public readonly refusals: readonly PathRefusal[], options: { nothingWritten?: boolean } = {}) {
    super(
      formatProblemList(
        refusals.map((r) => ({ subject: r.path, problem: r.problem, fix: UNSAFE_PATH_FIX })),
        'Writing files',
        options.nothingWritten ? '; no file was changed' : '',
      ),
    );
  }
}

const UNSAFE_PATH_FIX = 'move or delete it (deleting a symbolic link leaves its target untouched), then run again; the fleet writes only regular files inside the project';

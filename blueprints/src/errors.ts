/**
 * One problem found in the fleet manifest, or in a blueprint's options.
 *
 * Every message a user sees has the same four parts, so a glance tells what is wrong, where,
 * and what to do: the thing (`subject`), what is wrong with it, the value found, and the fix.
 */
export interface ManifestProblem {
  /** The thing at fault, written as it appears in the manifest, e.g. `services["scan-ingest"].functions`. */
  readonly subject: string;
  /** What is wrong, e.g. "must name at least one function". */
  readonly problem: string;
  /** The value found (shown with JSON.stringify). Leave out for a thing that is missing entirely. */
  readonly value?: unknown;
  /** One sentence that says how to fix it. */
  readonly fix: string;
}

/** Renders one problem as `subject: problem, got value. Fix: ...` */
export function formatProblem(p: ManifestProblem): string {
  const got = 'value' in p ? `, got ${show(p.value)}` : '';
  const fix = /[.!?]$/.test(p.fix) ? p.fix : `${p.fix}.`;
  return `${p.subject}: ${p.problem}${got}. Fix: ${fix}`;
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

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
    super(
      [
        `${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; no file was changed:`,
        ...problems.map((p, i) => `  ${i + 1}. ${formatProblem(p)}`),
      ].join('\n'),
    );
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
      [
        `Refusing to write ${refusals.length} path${refusals.length === 1 ? '' : 's'}${options.nothingWritten ? '; no file was changed' : ''}:`,
        ...refusals.map((r) => `  ${r.path}: ${r.problem}.`),
        'Fix: move or delete each path named (deleting a symbolic link leaves its target untouched), then run again; the fleet writes only regular files inside the project.',
      ].join('\n'),
    );
  }
}

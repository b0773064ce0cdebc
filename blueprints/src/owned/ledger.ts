import { existsSync, readFileSync } from 'fs';
import * as path from 'path';

/** Where a project records, for each owned file, what its blueprint generated. Managed and committed. */
export const OWNED_LEDGER_FILE = '.projen/owned-files.json';

/** What the ledger knows about one owned file. */
export interface OwnedLedgerEntry {
  /**
   * What the blueprint generated when the file was written, or when its last blueprint update
   * was applied: the common ancestor of the team's version and the blueprint's new one.
   */
  readonly base: string;
  /** What the blueprint generates now, when it differs from `base` and the team has not taken it yet. */
  readonly proposed?: string;
}

/** The ledger of one project: owned file path -> entry. */
export interface OwnedLedger {
  readonly files: Record<string, OwnedLedgerEntry>;
}

/** A ledger that cannot be read: the error names the file and says the fix. */
export class OwnedLedgerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The ledger of the project in `dir`; empty when there is none yet (a first run, or a project from before ledgers). */
export function readOwnedLedger(dir: string): OwnedLedger {
  const file = path.join(dir, OWNED_LEDGER_FILE);
  if (!existsSync(file)) return { files: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf-8'));
  } catch (error) {
    throw new OwnedLedgerError(`${file} is not valid JSON (${(error as Error).message}). Fix: restore it from git (git checkout -- ${OWNED_LEDGER_FILE}); it is generated, never edited by hand.`);
  }
  const files = (parsed as { files?: unknown })?.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) {
    throw new OwnedLedgerError(`${file} has no "files" object. Fix: restore it from git (git checkout -- ${OWNED_LEDGER_FILE}); it is generated, never edited by hand.`);
  }
  const entries: Record<string, OwnedLedgerEntry> = {};
  for (const [owned, entry] of Object.entries(files as Record<string, any>)) {
    // The ledger names files to write into: never outside the project.
    if (path.isAbsolute(owned) || owned.split(/[\\/]/).includes('..') || owned === '') {
      throw new OwnedLedgerError(`${file}: ${JSON.stringify(owned)} is not a path inside the project. Fix: restore the file from git; it is generated, never edited by hand.`);
    }
    if (typeof entry?.base !== 'string' || (entry.proposed !== undefined && typeof entry.proposed !== 'string')) {
      throw new OwnedLedgerError(`${file}: the entry of ${owned} needs a "base" text and at most a "proposed" text. Fix: restore the file from git; it is generated.`);
    }
    entries[owned] = entry.proposed === undefined ? { base: entry.base } : { base: entry.base, proposed: entry.proposed };
  }
  return { files: entries };
}

/** The ledger's text: stable key order, projen's marker, a final newline. */
export function renderOwnedLedger(ledger: OwnedLedger, marker: string | undefined): string {
  const files = Object.fromEntries(Object.keys(ledger.files).sort().map((key) => [key, ledger.files[key]]));
  return `${JSON.stringify({ files, ...(marker ? { '//': marker } : {}) }, null, 2)}\n`;
}

/**
 * The new ledger entry of an owned file, from the previous entry, the team's file (`ours`,
 * undefined when the file does not exist yet) and what the blueprint generates now.
 *
 * - The file is written now (missing): the base is what is written.
 * - No previous entry (a project from before ledgers): the base is taken to be today's output,
 *   the best guess of what was written; updates are proposed from the next blueprint change on.
 * - The blueprint generates what it did: nothing to propose.
 * - The team's file already is the new output: the base moves to it.
 * - Otherwise: the new output is proposed; the team takes it with `fleet owned --apply`, which
 *   three-way merges it into their file. Regeneration itself never touches an owned file.
 */
export function nextLedgerEntry(previous: OwnedLedgerEntry | undefined, ours: string | undefined, generated: string): OwnedLedgerEntry {
  if (ours === undefined || previous === undefined) return { base: generated };
  // Line ends aside: a CRLF checkout of the new sample has taken it.
  if (generated === previous.base || ours.replace(/\r\n/g, '\n') === generated.replace(/\r\n/g, '\n')) return { base: generated };
  return { base: previous.base, proposed: generated };
}

import { readFileSync } from 'fs';
import * as path from 'path';
import { FleetError } from '../errors';
import { displayPath, isRelativeInside, kindOf } from '../private/safe-fs';
import type { FilePolicy } from './file-policy';

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
  /**
   * `fleet owned --apply --with-conflicts` wrote the file with conflict markers. Only then is a
   * file holding marker lines held back from the next merge: a team's file may legitimately
   * contain lines that look like markers, and must not be refused for ever because of them.
   */
  readonly writtenWithConflicts?: true;
  /**
   * The file's policy when it is not `three-way-merge` (the default, left out): an `add-only` or
   * `never-update` file never gets a proposal, and a `never-update` file that has an entry was
   * written once already, so it is not written again when the team deletes it.
   */
  readonly policy?: Exclude<FilePolicy, 'always-update' | 'three-way-merge'>;
}

/** The ledger's policies (what `policy` may hold). */
const LEDGER_POLICIES: ReadonlyArray<NonNullable<OwnedLedgerEntry['policy']>> = ['add-only', 'never-update'];

/** The ledger of one project: owned file path -> entry. */
export interface OwnedLedger {
  readonly files: Record<string, OwnedLedgerEntry>;
}

/** A ledger that cannot be read: the error names the file and says the fix. */
export class OwnedLedgerError extends FleetError {}

const RESTORE = `Fix: restore it from git (git checkout -- ${OWNED_LEDGER_FILE}); it is generated, never edited by hand. Or delete it: npx projen then starts over with today's samples as the bases (pending blueprint updates of owned files are dropped).`;

/** The ledger of the project in `dir`; empty when there is none yet (a first run, or a project from before ledgers). */
export function readOwnedLedger(dir: string): OwnedLedger {
  const file = path.join(dir, OWNED_LEDGER_FILE);
  const kind = kindOf(file);
  if (kind === 'missing') return { files: {} };
  const name = displayPath(file);
  if (kind !== 'file') throw new OwnedLedgerError(`${name} is not a regular file (${kind}). ${RESTORE}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf-8'));
  } catch (error) {
    throw new OwnedLedgerError(`${name} is not valid JSON (${(error as Error).message}). ${RESTORE}`);
  }
  const files = (parsed as { files?: unknown })?.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) {
    throw new OwnedLedgerError(`${name} has no "files" object. ${RESTORE}`);
  }
  const entries: Record<string, OwnedLedgerEntry> = {};
  const problems: string[] = [];
  for (const [owned, entry] of Object.entries(files as Record<string, any>)) {
    // The ledger names files to write into: never outside the project.
    if (!isRelativeInside(owned)) {
      problems.push(`${JSON.stringify(owned)} is not a path inside the project`);
      continue;
    }
    if (
      typeof entry?.base !== 'string' || (entry.proposed !== undefined && typeof entry.proposed !== 'string') || (entry.writtenWithConflicts !== undefined && entry.writtenWithConflicts !== true)
      || (entry.policy !== undefined && !LEDGER_POLICIES.includes(entry.policy))
    ) {
      problems.push(`the entry of ${owned} needs a "base" text, at most a "proposed" text, a "writtenWithConflicts": true and a "policy" of ${LEDGER_POLICIES.map((p) => `"${p}"`).join(' or ')}`);
      continue;
    }
    entries[owned] = {
      base: entry.base,
      ...(entry.proposed === undefined ? {} : { proposed: entry.proposed }),
      ...(entry.writtenWithConflicts ? { writtenWithConflicts: true as const } : {}),
      ...(entry.policy === undefined ? {} : { policy: entry.policy }),
    };
  }
  if (problems.length > 0) throw new OwnedLedgerError(`${name}: ${problems.join('; ')}. Fix: restore the file from git; it is generated, never edited by hand.`);
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
 * - `add-only` and `never-update` files (`policy`) never get a proposal.
 */
export function nextLedgerEntry(previous: OwnedLedgerEntry | undefined, ours: string | undefined, generated: string, policy: FilePolicy = 'three-way-merge'): OwnedLedgerEntry {
  if (policy === 'add-only' || policy === 'never-update') {
    // Never a proposal. The base stays what was written: what the team's file started from.
    // A never-update file with an entry was written once: missing now, it stays missing.
    const written = ours === undefined && !(policy === 'never-update' && previous !== undefined);
    return { base: written || previous === undefined ? generated : previous.base, policy };
  }
  if (ours === undefined || previous === undefined) return { base: generated };
  // Line ends aside: a CRLF checkout of the new sample has taken it.
  if (ours.replace(/\r\n/g, '\n') === generated.replace(/\r\n/g, '\n')) return { base: generated };
  // Kept while the base stays: it depends on what --apply wrote, not on the file's lines, so a
  // team resolving the markers does not change the ledger (no drift).
  const conflicts = previous.writtenWithConflicts ? { writtenWithConflicts: true as const } : {};
  if (generated === previous.base) return { base: generated, ...conflicts };
  return { base: previous.base, proposed: generated, ...conflicts };
}

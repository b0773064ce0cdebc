import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'fs';
import * as path from 'path';
import { createTwoFilesPatch } from 'diff';
import { OWNED_LEDGER_FILE, OwnedLedger, readOwnedLedger, renderOwnedLedger } from './ledger';
import { hasConflictMarkers, mergeOwned } from './merge';

/** A blueprint update of one owned file, merged (in memory) into the team's version. */
export interface OwnedUpdate {
  /** Project-relative path. */
  readonly path: string;
  /**
   * - `clean`: the merge takes the blueprint's changes and keeps every edit of the team;
   * - `conflict`: the team and the blueprint changed the same lines differently;
   * - `missing`: the team deleted the file (regeneration writes it again, from the blueprint);
   * - `unresolved`: the file still has conflict markers of an earlier merge: resolve them first.
   */
  readonly status: 'clean' | 'conflict' | 'missing' | 'unresolved';
  /** Conflicting regions (0 unless `conflict`). */
  readonly conflicts: number;
  /** The file after the merge (with conflict markers when `conflict`). */
  readonly merged?: string;
  /** Unified diff from the team's file to `merged`. */
  readonly diff?: string;
  /** The team's file as it was read for the merge. */
  readonly ours?: string;
}

/** Every pending blueprint update of the project in `dir`, merged in memory. Writes nothing. */
export function planOwnedUpdates(dir: string): OwnedUpdate[] {
  const ledger = readOwnedLedger(dir);
  const updates: OwnedUpdate[] = [];
  for (const [file, entry] of Object.entries(ledger.files).sort(([a], [b]) => a.localeCompare(b))) {
    if (entry.proposed === undefined) continue;
    const onDisk = path.join(dir, file);
    if (!existsSync(onDisk)) {
      updates.push({ path: file, status: 'missing', conflicts: 0 });
      continue;
    }
    const ours = readFileSync(onDisk, 'utf-8');
    if (hasConflictMarkers(ours)) {
      updates.push({ path: file, status: 'unresolved', conflicts: 0, ours });
      continue;
    }
    const merge = mergeOwned(ours, entry.base, entry.proposed);
    updates.push({
      path: file,
      status: merge.conflicts > 0 ? 'conflict' : 'clean',
      conflicts: merge.conflicts,
      merged: merge.text,
      diff: createTwoFilesPatch(`a/${file}`, `b/${file}`, ours, merge.text, 'yours', 'after the merge'),
      ours,
    });
  }
  return updates;
}

export interface ApplyOptions {
  /** Also write files with conflicts, with conflict markers for the team to resolve. @default false */
  readonly withConflicts?: boolean;
  /** Only these project-relative paths. @default every pending update */
  readonly only?: readonly string[];
}

export interface ApplyResult {
  /** Files written: merged cleanly (or with markers, when `withConflicts`). */
  readonly applied: OwnedUpdate[];
  /** Pending updates left as they are (conflicts without `withConflicts`, missing files). */
  readonly skipped: OwnedUpdate[];
}

/**
 * Merges the pending blueprint updates into the team's files and records them as taken (the
 * ledger's base becomes the blueprint's new output). A file with conflicts is left untouched
 * unless `withConflicts`; a file with unresolved markers of an earlier merge is left untouched.
 * Each file is written whole and recorded at once, so an interrupted run is simply run again.
 */
export function applyOwnedUpdates(dir: string, options: ApplyOptions = {}): ApplyResult {
  const files: Record<string, OwnedLedger['files'][string]> = { ...readOwnedLedger(dir).files };
  const marker = ledgerMarker(dir);
  const applied: OwnedUpdate[] = [];
  const skipped: OwnedUpdate[] = [];
  for (const update of planOwnedUpdates(dir)) {
    if (options.only && !options.only.includes(update.path)) continue;
    if (update.status === 'missing' || update.status === 'unresolved' || (update.status === 'conflict' && !options.withConflicts)) {
      skipped.push(update);
      continue;
    }
    const file = path.join(dir, update.path);
    // Written whole (a temporary file renamed over it), and only if nobody changed it since it
    // was read for the merge (an editor saving meanwhile): no team edit can be lost.
    if (readFileSync(file, 'utf-8') !== update.ours) {
      skipped.push({ ...update, status: 'unresolved' });
      continue;
    }
    const temporary = `${file}.fleet-owned-merge`;
    writeFileSync(temporary, update.merged!, { mode: statSync(file).mode });
    renameSync(temporary, file);
    // Recorded at once, file by file: an interrupted run leaves nothing half-taken.
    files[update.path] = { base: files[update.path].proposed! };
    writeLedger(dir, { files }, marker);
    applied.push(update);
  }
  return { applied, skipped };
}

/** The projen marker the ledger carries (kept when the CLI rewrites it). */
function ledgerMarker(dir: string): string | undefined {
  const file = path.join(dir, OWNED_LEDGER_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf-8')) as { '//'?: string })['//'] : undefined;
}

/** Rewrites the (read-only, generated) ledger with its marker. */
function writeLedger(dir: string, ledger: OwnedLedger, marker: string | undefined): void {
  const file = path.join(dir, OWNED_LEDGER_FILE);
  const mode = statSync(file).mode;
  chmodSync(file, mode | 0o200);
  writeFileSync(file, renderOwnedLedger(ledger, marker));
  chmodSync(file, mode);
}

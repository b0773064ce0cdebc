import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'fs';
import * as path from 'path';
import { createTwoFilesPatch } from 'diff';
import { OWNED_LEDGER_FILE, OwnedLedger, readOwnedLedger, renderOwnedLedger } from './ledger';
import { mergeOwned } from './merge';

/** A blueprint update of one owned file, merged (in memory) into the team's version. */
export interface OwnedUpdate {
  /** Project-relative path. */
  readonly path: string;
  /**
   * - `clean`: the merge takes the blueprint's changes and keeps every edit of the team;
   * - `conflict`: the team and the blueprint changed the same lines differently;
   * - `missing`: the team deleted the file (regeneration writes it again, from the blueprint).
   */
  readonly status: 'clean' | 'conflict' | 'missing';
  /** Conflicting regions (0 unless `conflict`). */
  readonly conflicts: number;
  /** The file after the merge (with conflict markers when `conflict`). */
  readonly merged?: string;
  /** Unified diff from the team's file to `merged`. */
  readonly diff?: string;
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
    const merge = mergeOwned(ours, entry.base, entry.proposed);
    updates.push({
      path: file,
      status: merge.conflicts > 0 ? 'conflict' : 'clean',
      conflicts: merge.conflicts,
      merged: merge.text,
      diff: createTwoFilesPatch(`a/${file}`, `b/${file}`, ours, merge.text, 'yours', 'after the merge'),
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
 * unless `withConflicts`. Each file is written whole (no half-written file); the ledger is
 * written last, so an interrupted run is simply run again.
 */
export function applyOwnedUpdates(dir: string, options: ApplyOptions = {}): ApplyResult {
  const ledger = readOwnedLedger(dir);
  const applied: OwnedUpdate[] = [];
  const skipped: OwnedUpdate[] = [];
  for (const update of planOwnedUpdates(dir)) {
    if (options.only && !options.only.includes(update.path)) continue;
    if (update.status === 'missing' || (update.status === 'conflict' && !options.withConflicts)) {
      skipped.push(update);
      continue;
    }
    const file = path.join(dir, update.path);
    writeFileSync(file, update.merged!, { mode: statSync(file).mode });
    applied.push(update);
  }
  if (applied.length > 0) {
    const files: Record<string, OwnedLedger['files'][string]> = { ...ledger.files };
    for (const update of applied) files[update.path] = { base: ledger.files[update.path].proposed! };
    writeLedger(dir, { files });
  }
  return { applied, skipped };
}

/** Rewrites the (read-only, generated) ledger, keeping its marker. */
function writeLedger(dir: string, ledger: OwnedLedger): void {
  const file = path.join(dir, OWNED_LEDGER_FILE);
  const marker = (JSON.parse(readFileSync(file, 'utf-8')) as { '//'?: string })['//'];
  const mode = statSync(file).mode;
  chmodSync(file, mode | 0o200);
  writeFileSync(file, renderOwnedLedger(ledger, marker));
  chmodSync(file, mode);
}

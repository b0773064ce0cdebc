import { readFileManifest } from '../private/file-manifest';
import { FILE_POLICIES, FilePolicy } from './file-policy';
import { readOwnedLedger } from './ledger';

/**
 * The files of the generated project in `dir` by policy, from what the last `npx projen` wrote
 * (`.projen/files.json` for the managed files, `.projen/owned-files.json` for the owned ones):
 * what `fleet status` and `fleet owned` report. Reads only; a broken ledger throws `OwnedLedgerError`.
 */
export function filesByPolicy(dir: string): Record<FilePolicy, string[]> {
  const byPolicy = Object.fromEntries(FILE_POLICIES.map((p) => [p, [] as string[]])) as Record<FilePolicy, string[]>;
  byPolicy['always-update'].push(...(readFileManifest(dir).files ?? []));
  for (const [file, entry] of Object.entries(readOwnedLedger(dir).files)) byPolicy[entry.policy ?? 'three-way-merge'].push(file);
  for (const files of Object.values(byPolicy)) files.sort();
  return byPolicy;
}

/** `12 always-update, 5 three-way-merge, 1 add-only`: the non-empty policies, in `FILE_POLICIES` order. */
export function describeFilesByPolicy(byPolicy: Record<FilePolicy, readonly string[]>): string {
  return FILE_POLICIES.filter((p) => byPolicy[p].length > 0).map((p) => `${byPolicy[p].length} ${p}`).join(', ') || 'no files';
}

/**
 * `@fleet/blueprints/owned`: plan and apply the pending updates of team-owned files (`fleet
 * owned`). Not `./owned/index`: that also holds the projen component that writes the ledger,
 * and the CLI must not load projen to start.
 */
export { applyOwnedUpdates, planOwnedUpdates } from './owned/apply';
export type { ApplyOptions, ApplyResult, OwnedUpdate } from './owned/apply';
export { OwnedLedgerError, OWNED_LEDGER_FILE, readOwnedLedger } from './owned/ledger';
export { hasConflictMarkers } from './owned/merge';
export type { OwnedLedger, OwnedLedgerEntry } from './owned/ledger';
export { FILE_POLICIES, OWNED_POLICIES } from './owned/file-policy';
export type { FilePolicy, FilePolicies } from './owned/file-policy';
export { describeFilesByPolicy, filesByPolicy } from './owned/files-by-policy';

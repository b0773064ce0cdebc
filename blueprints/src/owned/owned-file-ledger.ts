import { readFileSync } from 'fs';
import * as path from 'path';
import { FileBase, IResolver } from 'projen/lib/file';
import { Project } from 'projen/lib/project';
import { decodeText, kindOf } from '../private/safe-fs';
import type { FilePolicy } from './file-policy';
import { nextLedgerEntry, OWNED_LEDGER_FILE, OwnedLedger, readOwnedLedger, renderOwnedLedger } from './ledger';

/** An owned file as the ledger sees it: its path and what the blueprint generates for it now. */
export interface LedgerSource {
  readonly path: string;
  readonly generated: string;
  /** @default 'three-way-merge' */
  readonly policy?: FilePolicy;
}

/**
 * `.projen/owned-files.json` (managed): for every owned file of the project, what the blueprint
 * generated last time (the base of a three-way merge) and, when the blueprint now generates
 * something else, the proposal. The team takes proposals with `fleet owned --apply`; regeneration
 * never writes into an owned file.
 *
 * The state is read before any file is written (pre-synthesis), so the team's files are seen as
 * they were, and the new ledger depends only on the blueprint and the files on disk: regenerating
 * twice gives the same ledger, and the drift check holds.
 */
export class OwnedFileLedger extends FileBase {
  /** The ledger of `project`, created on first use. */
  public static of(project: Project, sources: () => LedgerSource[]): OwnedFileLedger {
    const existing = project.tryFindFile(OWNED_LEDGER_FILE);
    if (existing instanceof OwnedFileLedger) return existing;
    return new OwnedFileLedger(project, sources);
  }

  private ledger: OwnedLedger = { files: {} };
  /** `never-update` files the ledger knew before this run: written once already, never again. */
  private readonly writtenOnce = new Set<string>();

  private constructor(project: Project, private readonly sources: () => LedgerSource[]) {
    super(project, OWNED_LEDGER_FILE);
  }

  /** Owned files whose blueprint update the team has not taken yet. */
  public get pending(): string[] {
    return Object.entries(this.ledger.files).filter(([, entry]) => entry.proposed !== undefined).map(([file]) => file).sort();
  }

  /** Whether the owned file at `file` may be written when it is missing (not a `never-update` file written before). */
  public mayWrite(file: string): boolean {
    return !this.writtenOnce.has(file);
  }

  public preSynthesize(): void {
    const previous = readOwnedLedger(this.project.outdir);
    const files: OwnedLedger['files'] = {};
    this.writtenOnce.clear();
    for (const source of this.sources()) {
      if (source.policy === 'never-update' && previous.files[source.path] !== undefined) this.writtenOnce.add(source.path);
      const onDisk = path.join(this.project.outdir, source.path);
      const kind = kindOf(onDisk);
      const text = kind === 'file' ? decodeText(readFileSync(onDisk)) : undefined;
      const entry = previous.files[source.path];
      if (source.policy === 'add-only' || source.policy === 'never-update') {
        files[source.path] = nextLedgerEntry(entry, kind === 'missing' ? undefined : text ?? '', source.generated, source.policy);
        continue;
      }
      if (kind !== 'missing' && text === undefined) {
        // A link, a folder or a file that is not UTF-8 text: the team's, never read as text (a
        // lossy decode would turn its bytes into U+FFFD). A blueprint change is still proposed,
        // so `fleet owned` says why it leaves the file alone.
        files[source.path] = entry === undefined || source.generated === entry.base ? entry ?? { base: source.generated } : { ...entry, proposed: source.generated };
        continue;
      }
      files[source.path] = nextLedgerEntry(entry, text, source.generated);
    }
    this.ledger = { files };
  }

  public postSynthesize(): void {
    const pending = this.pending;
    if (pending.length > 0) {
      this.project.logger.info(`${pending.length} owned file${pending.length === 1 ? ' has a blueprint update' : 's have blueprint updates'} to take (${pending.join(', ')}): run "npx fleet owned" to see them, "npx fleet owned --apply" to merge them into your files.`);
    }
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    return renderOwnedLedger(this.ledger, this.marker);
  }
}

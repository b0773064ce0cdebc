import { Project } from 'projen/lib/project';
import { SampleFile } from 'projen/lib/sample-file';
import type { FilePolicy } from '../owned/file-policy';
import { OwnedFileLedger } from '../owned/owned-file-ledger';
import { createFileExclusive } from '../private/safe-fs';

/** The policies of a file the team owns. */
export type OwnedFilePolicy = Exclude<FilePolicy, 'always-update'>;

export interface OwnedFileOptions {
  /**
   * How blueprint changes reach the file once it exists (see `FilePolicy`); a project's
   * `FilePolicySet` (blueprint defaults, the manifest's `files`) may change it before synthesis.
   * @default 'three-way-merge'
   */
  readonly policy?: OwnedFilePolicy;
  /**
   * Record what the blueprint generates in the ledger, so its changes are proposed (`fleet owned`).
   * Off for a file whose sample is rendered from the file itself (a standalone `.projenrc.ts`:
   * every option the team edits would come back as a proposal of their own edit).
   * @default true
   */
  readonly proposesUpdates?: boolean;
}

/**
 * A file the team owns: written once when missing, never overwritten or deleted by
 * regeneration (projen's `SampleFile`). Keeping our own subclass lets the README, the
 * ownership guard and the retire step tell owned files from managed ones.
 *
 * What the blueprint generates for it is recorded in the project's `OwnedFileLedger`, so a
 * later blueprint improvement reaches the team's file by a three-way merge they ask for
 * (`fleet owned --apply`), never by regeneration; `add-only` and `never-update` files get no
 * proposals, and a `never-update` file is not written again once the ledger knows it.
 */
export class OwnedFile extends SampleFile {
  /** Project-relative path of the file. */
  public readonly path: string;

  /** How blueprint changes reach the file (set by the project's file policies before synthesis). */
  public policy: OwnedFilePolicy;

  /** Whether blueprint changes to this file are recorded as proposals in the ledger. */
  public readonly proposesUpdates: boolean;

  private readonly contents: string | (() => string);
  private rendered?: string;

  /** `contents` may be a function, called once at synthesis (after every component is configured). */
  constructor(project: Project, filePath: string, contents: string | (() => string), options: OwnedFileOptions = {}) {
    // projen's own write is replaced (synthesize below); it only needs some contents.
    super(project, filePath, { contents: '\n' });
    this.path = filePath;
    this.contents = contents;
    this.policy = options.policy ?? 'three-way-merge';
    this.proposesUpdates = options.proposesUpdates ?? true;
    OwnedFileLedger.of(project, () => OwnedFile.all(project).filter((f) => f.proposesUpdates).map((f) => ({ path: f.path, generated: f.generated, policy: f.policy })));
  }

  /** What the blueprint generates for this file today (written only when the file is missing), with a final newline. */
  public get generated(): string {
    if (this.rendered === undefined) {
      const text = typeof this.contents === 'function' ? this.contents() : this.contents;
      this.rendered = text.endsWith('\n') ? text : `${text}\n`;
    }
    return this.rendered;
  }

  /**
   * Written only when nothing is at the path (not even a dangling symbolic link, whose target
   * projen's `SampleFile` would create), whole (a temporary file hard-linked into place), so a
   * run killed mid-write never leaves half a sample that later runs would keep as the team's.
   */
  public synthesize(): void {
    if (!OwnedFileLedger.of(this.project, () => []).mayWrite(this.path)) return;
    createFileExclusive(this.project.outdir, this.path, this.generated);
  }

  /** Every owned file declared on `project`. */
  public static all(project: Project): OwnedFile[] {
    return project.components.filter((c): c is OwnedFile => c instanceof OwnedFile);
  }
}

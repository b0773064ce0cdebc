import { Project } from 'projen/lib/project';
import { SampleFile } from 'projen/lib/sample-file';
import { OwnedFileLedger } from '../owned/owned-file-ledger';
import { createFileExclusive } from '../private/safe-fs';

export interface OwnedFileOptions {
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
 * (`fleet owned --apply`), never by regeneration.
 */
export class OwnedFile extends SampleFile {
  /** Project-relative path of the file. */
  public readonly path: string;

  /** What the blueprint generates for this file today (written only when the file is missing). */
  public readonly generated: string;

  /** Whether blueprint changes to this file are recorded as proposals in the ledger. */
  public readonly proposesUpdates: boolean;

  constructor(project: Project, filePath: string, contents: string, options: OwnedFileOptions = {}) {
    const generated = contents.endsWith('\n') ? contents : `${contents}\n`;
    super(project, filePath, { contents: generated });
    this.path = filePath;
    this.generated = generated;
    this.proposesUpdates = options.proposesUpdates ?? true;
    OwnedFileLedger.of(project, () => OwnedFile.all(project).filter((f) => f.proposesUpdates).map((f) => ({ path: f.path, generated: f.generated })));
  }

  /**
   * Written only when nothing is at the path (not even a dangling symbolic link, whose target
   * projen's `SampleFile` would create), whole (a temporary file hard-linked into place), so a
   * run killed mid-write never leaves half a sample that later runs would keep as the team's.
   */
  public synthesize(): void {
    createFileExclusive(this.project.outdir, this.path, this.generated);
  }

  /** Every owned file declared on `project`. */
  public static all(project: Project): OwnedFile[] {
    return project.components.filter((c): c is OwnedFile => c instanceof OwnedFile);
  }
}

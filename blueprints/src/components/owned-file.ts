import { Project } from 'projen/lib/project';
import { SampleFile } from 'projen/lib/sample-file';
import { OwnedFileLedger } from '../owned/owned-file-ledger';
import { createFileExclusive } from '../private/safe-fs';

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

  constructor(project: Project, filePath: string, contents: string) {
    const generated = contents.endsWith('\n') ? contents : `${contents}\n`;
    super(project, filePath, { contents: generated });
    this.path = filePath;
    this.generated = generated;
    OwnedFileLedger.of(project, () => OwnedFile.all(project).map((f) => ({ path: f.path, generated: f.generated })));
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

import { Project } from 'projen/lib/project';
import { SampleFile } from 'projen/lib/sample-file';

/**
 * A file the team owns: written once when missing, never overwritten or deleted by
 * regeneration (projen's `SampleFile`). Keeping our own subclass lets the README, the
 * ownership guard and the retire step tell owned files from managed ones.
 */
export class OwnedFile extends SampleFile {
  /** Project-relative path of the file. */
  public readonly path: string;

  constructor(project: Project, filePath: string, contents: string) {
    super(project, filePath, { contents: contents.endsWith('\n') ? contents : `${contents}\n` });
    this.path = filePath;
  }

  /** Every owned file declared on `project`. */
  public static all(project: Project): OwnedFile[] {
    return project.components.filter((c): c is OwnedFile => c instanceof OwnedFile);
  }
}

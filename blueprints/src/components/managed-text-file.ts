import { FileBase, IResolver } from 'projen/lib/file';
import { Project } from 'projen/lib/project';

/** How a file format writes a one-line comment, for the projen marker. */
const COMMENT_STYLES: Record<string, (text: string) => string> = {
  ts: (text) => `// ${text}`,
  js: (text) => `// ${text}`,
  md: (text) => `<!-- ${text} -->`,
  yml: (text) => `# ${text}`,
  yaml: (text) => `# ${text}`,
  sh: (text) => `# ${text}`,
};

export interface ManagedTextFileOptions {
  /** The file's content without the marker; a function is called at synthesis (after all components are configured). */
  readonly contents: string | (() => string);
  /** Make the file executable (scripts). @default false */
  readonly executable?: boolean;
}

/**
 * A generated text file: projen's marker on the first line (in the file type's comment syntax),
 * read-only on disk and listed in `.projen/files.json`, so a hand edit is drift.
 */
export class ManagedTextFile extends FileBase {
  private readonly contents: string | (() => string);

  constructor(project: Project, filePath: string, options: ManagedTextFileOptions) {
    super(project, filePath, { executable: options.executable });
    this.contents = options.contents;
  }

  /** The file's content without projen's marker (what the team gets when a file policy hands the file over). */
  public body(): string {
    return ensureNewline(typeof this.contents === 'function' ? this.contents() : this.contents);
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    const body = typeof this.contents === 'function' ? this.contents() : this.contents;
    const extension = this.path.split('.').pop() ?? '';
    const comment = COMMENT_STYLES[extension];
    if (!this.marker || !comment) return ensureNewline(body);
    // A shebang must stay on the first line.
    if (body.startsWith('#!')) {
      const [shebang, ...rest] = body.split('\n');
      return ensureNewline([shebang, comment(this.marker), ...rest].join('\n'));
    }
    return ensureNewline(`${comment(this.marker)}\n${body}`);
  }
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

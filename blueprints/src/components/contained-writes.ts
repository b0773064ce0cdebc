import { closeSync, constants, fchmodSync, fstatSync, openSync, readFileSync, unlinkSync } from 'fs';
import * as path from 'path';
import { resolve as resolveTokens } from 'projen/lib/_resolve';
import { PROJEN_MARKER } from 'projen/lib/common';
import { Component } from 'projen/lib/component';
import { FileBase, IResolver } from 'projen/lib/file';
import { Project } from 'projen/lib/project';
import { PathRefusal, UnsafePathError } from '../errors';
import { FILE_MANIFEST, readFileManifest } from '../private/file-manifest';
import {
  assertSafePath, displayPath, folderProblem, kindOf, pathProblem, removeMarkedFile, removeTemporaryLeftovers, writeFileAtomic,
} from '../private/safe-fs';
import { OwnedFile } from './owned-file';

/**
 * Makes every file of a projen project go through the fleet's one file-writing layer
 * (`private/safe-fs.ts`): inside the project, never through a symbolic link, written whole.
 *
 * The hook, and why this one: projen 0.103.25 writes each file in `FileBase.synthesize()`
 * (lib/file.js) with `util.writeFile` (chmod, `writeFileSync` in place, chmod), which follows a
 * symbolic link and leaves half a file when the process dies mid-write; `Project.synth()`
 * (lib/project.js) calls it for every component after `cleanup()` (lib/cleanup.js), which deletes
 * every path of the old `.projen/files.json` that the project no longer generates, without
 * looking at what is there. Our own files could override `synthesize`, but projen's own
 * (`.projen/tasks.json`, `.projen/deps.json`, `.projen/files.json`, `.gitignore`,
 * `.gitattributes`) are created by the `Project` constructor, so instead this component, in
 * `preSynthesize()` (which `Project.synth()` runs for every component before cleanup and before
 * any write):
 * 1. checks every path the project will write and refuses them all at once, naming each, when
 *    one leaves the project, is a symbolic link or a folder (nothing has been written yet);
 * 2. replaces `synthesize` on each file instance with one that writes through `safe-fs`
 *    (temporary file created with `wx`, renamed over the target; mode set on the descriptor);
 * 3. does the cleanup itself: deletes a file the project no longer generates only when it is a
 *    regular file inside the project that carries projen's marker, then rewrites
 *    `.projen/files.json` with only the paths still generated, so projen's own cleanup finds
 *    nothing left to delete;
 * 4. removes temporary files a crashed run left next to the files it writes.
 * A pre-flight before synthesis (rather than a check after it) is what lets a refusal change
 * nothing; the per-write check in `safe-fs` still holds if the disk changes in between.
 */
export class ContainedWrites extends Component {
  /** The project's instance, created on first use. */
  public static of(project: Project): ContainedWrites {
    return project.components.find((c): c is ContainedWrites => c instanceof ContainedWrites) ?? new ContainedWrites(project);
  }

  private constructor(project: Project) {
    super(project);
  }

  /** Every path this project would write that must not be written (empty when all are safe). Reads only. */
  public refusals(): PathRefusal[] {
    const root = this.project.outdir;
    const refusals: PathRefusal[] = [];
    for (const file of this.project.files) {
      const problem = pathProblem(root, file.path);
      if (problem) refusals.push({ path: displayPath(path.resolve(root, file.path)), problem });
    }
    for (const owned of OwnedFile.all(this.project)) {
      // Anything already at an owned path is the team's and is not written; only where a
      // missing one would be written matters.
      const folder = folderProblem(root, path.dirname(path.resolve(root, owned.path)));
      if (folder) refusals.push({ path: displayPath(path.resolve(root, owned.path)), problem: `is in a folder that ${folder}` });
    }
    return refusals;
  }

  public preSynthesize(): void {
    const refusals = this.refusals();
    if (refusals.length > 0) throw new UnsafePathError(refusals, { nothingWritten: true });
    this.containFileWrites();
    this.removeFilesNoLongerGenerated();
    const folders = new Set([...this.project.files.map((f) => f.path), ...OwnedFile.all(this.project).map((f) => f.path)].map((f) => path.dirname(path.resolve(this.project.outdir, f))));
    for (const folder of folders) removeTemporaryLeftovers(folder);
  }

  public synthesize(): void {
    // Files created by another component's preSynthesize come after this one.
    this.containFileWrites();
  }

  private containFileWrites(): void {
    for (const file of this.project.files) {
      if (Object.prototype.hasOwnProperty.call(file, 'synthesize')) continue;
      // A class that overrides projen's write keeps it (none of ours does; OwnedFile is not a FileBase).
      if (file.synthesize !== FileBase.prototype.synthesize) continue;
      Object.defineProperty(file, 'synthesize', { value: () => synthesizeContained(file), configurable: true });
    }
  }

  private removeFilesNoLongerGenerated(): void {
    const root = this.project.outdir;
    const manifest = readFileManifest(root);
    const current = new Set(this.project.files.map((f) => f.path));
    if (manifest.error) {
      warn(`${manifest.error} It is written again by this run${manifest.files ? '' : '; files it listed that are no longer generated are not deleted'}.`);
    }
    const previous = manifest.files ?? [];
    const orphans = previous.filter((f) => !current.has(f));
    if (orphans.length === 0 && !manifest.error) return;
    const owned = new Map(OwnedFile.all(this.project).map((f) => [f.path, f]));
    for (const orphan of orphans) {
      // A path that was managed and is now owned (a service's .projenrc.ts once copied out of the
      // fleet, a file a policy hands to the team) is the team's from now on: handed over, never
      // deleted. It was managed until this run, so it gets this run's generation, once.
      const ownedFile = owned.get(orphan);
      if (ownedFile) {
        handOver(root, orphan, ownedFile.generated);
        continue;
      }
      const refused = removeMarkedFile(root, orphan, PROJEN_MARKER);
      if (refused) {
        warn(`Not deleting ${displayPath(path.resolve(root, String(orphan)))}, listed in ${FILE_MANIFEST} as generated: it ${refused}. Delete it yourself if it is not yours.`);
      }
    }
    // projen's cleanup reads this list next: leave only what is still generated.
    const kept = previous.filter((f) => current.has(f));
    const marker = this.project.tryFindFile(FILE_MANIFEST)?.marker ?? PROJEN_MARKER;
    writeFileAtomic(root, FILE_MANIFEST, `${JSON.stringify({ files: kept, '//': marker }, null, 2)}\n`, { mode: 0o444 });
  }
}

/**
 * Makes a formerly managed file the team's: written with `generated` (the blueprint's text of
 * this run, without projen's marker, which would tell them not to edit it) and writable. Only a
 * regular file inside the project is touched (it was read-only and drift-checked until now, so
 * no team edit is in it).
 */
function handOver(root: string, relative: string, generated: string): void {
  if (pathProblem(root, relative)) return;
  const file = path.resolve(root, relative);
  if (kindOf(file) !== 'file') return;
  writeFileAtomic(root, relative, generated, { mode: 0o644 });
}

/** Like the fleet's other warnings: on stderr, one line each. */
function warn(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}

/** What projen's `FileBase.synthesize()` does, written through `safe-fs`. */
function synthesizeContained(file: FileBase): void {
  const root = file.project.outdir;
  const resolver: IResolver = { resolve: (obj, options) => resolveTokens(obj, options) };
  const content = (file as unknown as { synthesizeContent(r: IResolver): string | undefined }).synthesizeContent(resolver);
  const target = assertSafePath(root, file.path);
  const state = file as unknown as { _changed?: boolean; _previousContent?: string; _newContent?: string };
  if (content === undefined) {
    if (kindOf(target) === 'file') unlinkSync(target);
    return;
  }
  const mode = file.readonly ? (file.executable ? 0o544 : 0o444) : file.executable ? 0o755 : 0o644;
  const previous = kindOf(target) === 'file' ? readFileSync(target, 'utf-8') : undefined;
  state._previousContent = previous;
  state._newContent = content;
  if (previous === content) {
    // Same text: at most the mode differs (a git checkout does not keep read-only). Set it on a
    // descriptor opened without following links.
    const fd = openSync(target, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      if ((fstatSync(fd).mode & 0o777) === mode) {
        state._changed = false;
        return;
      }
      fchmodSync(fd, mode);
    } finally {
      closeSync(fd);
    }
    state._changed = true;
    return;
  }
  writeFileAtomic(root, file.path, content, { mode });
  state._changed = true;
}

import { randomBytes } from 'crypto';
import {
  closeSync, fchmodSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, Stats, unlinkSync, writeSync,
} from 'fs';
import * as path from 'path';
import { UnsafePathError } from '../errors';

/**
 * The one file-writing layer of the fleet: every write, rename and delete that `npx projen`,
 * retirement, `fleet owned` and the CLI make goes through here.
 *
 * The promise it keeps: nothing is written or deleted outside the project, and nothing is
 * written through a symbolic link. A path is accepted when the real path of its parent
 * folder is inside the real path of the project root, and the path itself is missing or a
 * regular file (checked with lstat, which does not follow a link). Files are written whole:
 * a temporary file created exclusively (`wx`: O_CREAT|O_EXCL, which also refuses a symlink
 * placed at that name) with an unpredictable name in the same folder, then renamed over the
 * target, so a crash leaves either the old file or the new one, never half of one.
 *
 * This file does not load projen: the CLI uses it too.
 */

/** Every temporary file of this module is named `.<file>.<TEMP_TAG><12 hex>`, so a crash's leftovers can be recognised. */
export const TEMP_TAG = 'fleet-tmp-';
const TEMP_NAME = new RegExp(`^\\..+\\.${TEMP_TAG}[0-9a-f]{12}$`);

/** What is at a path, read without following a link. */
export type PathKind = 'missing' | 'file' | 'symlink' | 'directory' | 'other';

export function kindOf(file: string): PathKind {
  let stat: Stats;
  try {
    stat = lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return 'missing';
    throw error;
  }
  if (stat.isSymbolicLink()) return 'symlink';
  if (stat.isFile()) return 'file';
  if (stat.isDirectory()) return 'directory';
  return 'other';
}

/** A path as users see it in messages: relative to the working folder when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** The real path of `file`, resolving the closest folder that exists (the rest may not exist yet). */
export function realpathOfClosestExisting(file: string): string {
  const absolute = path.resolve(file);
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(realpathSync(current), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

/** True when `inner` is `outer` or inside it (both absolute). */
export function isInside(outer: string, inner: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/** True for a relative path that does not climb out of its root (no `..`, not absolute, not empty). */
export function isRelativeInside(relative: unknown): relative is string {
  return typeof relative === 'string' && relative !== '' && !path.isAbsolute(relative) && !relative.split(/[\\/]/).includes('..');
}

/** Why a folder that should hold files of `root` (or be `root` itself) is not inside it, or undefined. */
export function folderProblem(root: string, folder: string): string | undefined {
  const realRoot = realpathOfClosestExisting(root);
  if (!isInside(path.resolve(root), path.resolve(folder))) return 'is outside the project';
  const real = realpathOfClosestExisting(folder);
  if (!isInside(realRoot, real)) return `leads outside the project through a symbolic link (to ${real})`;
  // A file where a folder is expected: writing below it would fail with ENOTDIR.
  let current = path.resolve(folder);
  const top = path.resolve(root);
  while (isInside(top, current)) {
    const kind = kindOf(current);
    if (kind === 'file' || kind === 'other') return `cannot be created: ${displayPath(current)} is a file, not a folder`;
    if (current === top) break;
    current = path.dirname(current);
  }
  return undefined;
}

/**
 * Why `relative` (a path inside `root`) must not be written or deleted, or undefined when it may:
 * it must stay inside the project by its real path, and be missing or a regular file.
 */
export function pathProblem(root: string, relative: string): string | undefined {
  if (!isRelativeInside(relative)) return 'is not a path inside the project';
  const file = path.resolve(root, relative);
  const folder = folderProblem(root, path.dirname(file));
  if (folder) return `is in a folder that ${folder}`;
  switch (kindOf(file)) {
    case 'symlink':
      return 'is a symbolic link; the fleet never writes through one';
    case 'directory':
      return 'is a folder where a file belongs';
    case 'other':
      return 'is not a regular file';
    default:
      return undefined;
  }
}

/** Throws `UnsafePathError` naming the path when `relative` may not be written or deleted. */
export function assertSafePath(root: string, relative: string): string {
  const problem = pathProblem(root, relative);
  if (problem) throw new UnsafePathError([{ path: displayPath(path.resolve(root, relative)), problem }]);
  return path.resolve(root, relative);
}

export interface WriteOptions {
  /** File mode (permission bits). @default 0o644 */
  readonly mode?: number;
}

/**
 * Writes `contents` to `relative` under `root` whole: a temporary file created exclusively next
 * to it, then renamed over it. Refuses (naming the path) a target outside the project, a
 * symbolic link, or a folder.
 */
export function writeFileAtomic(root: string, relative: string, contents: string | Uint8Array, options: WriteOptions = {}): void {
  const file = assertSafePath(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = writeTemporary(file, contents, options.mode ?? 0o644);
  try {
    renameSync(temporary, file);
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  }
}

/**
 * Writes `relative` only when nothing at all is at that path (not even a dangling symbolic
 * link), whole: the temporary file is hard-linked to the name, which fails when the name
 * exists, so a file someone created meanwhile is never replaced. Returns whether it wrote.
 */
export function createFileExclusive(root: string, relative: string, contents: string | Uint8Array, options: WriteOptions = {}): boolean {
  const file = path.resolve(root, relative);
  const problem = !isRelativeInside(relative) ? 'is not a path inside the project' : folderProblem(root, path.dirname(file));
  if (problem) throw new UnsafePathError([{ path: displayPath(file), problem: isRelativeInside(relative) ? `is in a folder that ${problem}` : problem }]);
  // Anything already there (a file, a folder, even a dangling link) is the team's: not written.
  if (kindOf(file) !== 'missing') return false;
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = writeTemporary(file, contents, options.mode ?? 0o644);
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    removeQuietly(temporary);
  }
}

/**
 * Deletes `relative` when it is a regular file inside the project that carries `marker`
 * (projen's "Generated by" text); returns why not otherwise. A missing file is not a problem.
 */
export function removeMarkedFile(root: string, relative: string, marker: string): string | undefined {
  const problem = pathProblem(root, relative);
  if (problem) return problem;
  const file = path.resolve(root, relative);
  if (kindOf(file) === 'missing') return undefined;
  if (!readFileSync(file, 'utf-8').includes(marker)) return 'has no projen marker, so projen did not write it';
  unlinkSync(file);
  return undefined;
}

/** Deletes `relative` (a state file of the fleet's own, e.g. `.projen/files.json`) when it is a regular file inside the project; returns why not otherwise. */
export function removeStateFile(root: string, relative: string): string | undefined {
  const problem = pathProblem(root, relative);
  if (problem) return problem;
  const file = path.resolve(root, relative);
  if (kindOf(file) === 'file') unlinkSync(file);
  return undefined;
}

/** Reads `relative` under `root` when it is a regular file inside the project; undefined when missing. Throws `UnsafePathError` otherwise. */
export function readContainedFile(root: string, relative: string): Buffer | undefined {
  const file = assertSafePath(root, relative);
  return kindOf(file) === 'missing' ? undefined : readFileSync(file);
}

/** Deletes the temporary files a crashed run left in `folder` (only names this module makes). */
export function removeTemporaryLeftovers(folder: string): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (TEMP_NAME.test(name) && kindOf(path.join(folder, name)) === 'file') removeQuietly(path.join(folder, name));
  }
}

/** UTF-8 text of `bytes`, or undefined when they are not valid UTF-8 or hold NUL bytes (a binary file). */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function writeTemporary(file: string, contents: string | Uint8Array, mode: number): string {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${TEMP_TAG}${randomBytes(6).toString('hex')}`);
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    const data = typeof contents === 'string' ? Buffer.from(contents, 'utf-8') : contents;
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    fchmodSync(fd, mode);
  } catch (error) {
    closeSync(fd);
    removeQuietly(temporary);
    throw error;
  }
  closeSync(fd);
  return temporary;
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

import { readFileSync } from 'fs';
import * as path from 'path';
import { displayPath, isRelativeInside, kindOf } from './safe-fs';

/** projen's list of the files it generated in a project (projen `cleanup.FILE_MANIFEST`). */
export const FILE_MANIFEST = '.projen/files.json';

export interface FileManifest {
  /** The listed paths; undefined when the file is there but cannot be used. */
  readonly files?: string[];
  /** Why the file cannot be used (names the file and what is wrong), when it cannot. */
  readonly error?: string;
}

/**
 * The `.projen/files.json` of the project in `dir`. A missing file is an empty list; a file that
 * does not parse (a run killed by an older version mid-write, a bad merge) or lists something
 * other than paths is reported in `error`, never thrown as a bare "Unexpected end of JSON
 * input": each caller then rebuilds what it needs from projen's marker in the files on disk.
 * Entries that climb out of the project are dropped (and reported): the list is committed, so
 * it is input, not truth.
 */
export function readFileManifest(dir: string): FileManifest {
  const file = path.join(dir, FILE_MANIFEST);
  const kind = kindOf(file);
  if (kind === 'missing') return { files: [] };
  const name = displayPath(file);
  if (kind !== 'file') return { error: `${name} is not a regular file (${kind}).` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf-8'));
  } catch (error) {
    return { error: `${name} is not valid JSON (${(error as Error).message}).` };
  }
  const files = (parsed as { files?: unknown })?.files;
  if (!Array.isArray(files)) return { error: `${name} has no "files" list.` };
  const inside = files.filter(isRelativeInside);
  if (inside.length !== files.length) {
    const outside = files.filter((f) => !isRelativeInside(f));
    return { files: inside, error: `${name} lists ${outside.length} path${outside.length === 1 ? '' : 's'} outside the project (${outside.map((f) => JSON.stringify(f)).join(', ')}); they are ignored.` };
  }
  return { files: inside };
}

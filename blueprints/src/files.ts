/**
 * `@fleet/blueprints/files`: contained, atomic file writes for tools that write into a fleet
 * (the CLI's `fleet graph`, `fleet owned`, `fleet cost`), and the error they refuse a path with.
 * Free of projen, so a command that writes a file does not load it.
 */
export { UnsafePathError } from './errors';
export type { PathRefusal } from './errors';
export { displayPath, folderProblem, kindOf, pathProblem, realpathOfClosestExisting, writeFileAtomic } from './private/safe-fs';
export type { PathKind, WriteOptions } from './private/safe-fs';
export { PACKAGE_FOLDER, NOT_SOURCE } from './private/package-folders';

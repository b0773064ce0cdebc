import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import * as path from 'path';
import { UnsafePathError } from '../src';
import { createFileExclusive, removeMarkedFile, writeFileAtomic } from '../src/private/safe-fs';
import { tempDir } from './helpers';

/** The one write layer every write of the fleet goes through (npx projen, retirement, fleet owned, the CLI). */
describe('safe-fs', () => {
  test('never writes outside the project: a path climbing out, a link, or a folder through a link is refused by name', () => {
    const root = tempDir();
    const outside = path.join(tempDir('fleet-outside-'), 'victim.txt');
    writeFileSync(outside, 'untouched\n');
    symlinkSync(outside, path.join(root, 'link.txt'));
    symlinkSync(path.dirname(outside), path.join(root, 'out'));

    expect(() => writeFileAtomic(root, '../escape.txt', 'x')).toThrow(`Writing files has 1 problem:\n  1. ${path.join(path.dirname(root), 'escape.txt')}: is not a path inside the project. Fix: move or delete it`);
    expect(() => writeFileAtomic(root, 'link.txt', 'x')).toThrow(UnsafePathError);
    expect(() => writeFileAtomic(root, 'link.txt', 'x')).toThrow(`1. ${path.join(root, 'link.txt')}: is a symbolic link; the fleet never writes through one. Fix: move or delete it`);
    expect(() => writeFileAtomic(root, 'out/victim.txt', 'x')).toThrow(`1. ${path.join(root, 'out/victim.txt')}: is in a folder that leads outside the project through a symbolic link (to ${path.dirname(outside)}). Fix: move or delete it`);
    expect(() => removeMarkedFile(root, 'out/victim.txt', 'untouched')).not.toThrow();
    expect(removeMarkedFile(root, 'out/victim.txt', 'untouched')).toBe(`is in a folder that leads outside the project through a symbolic link (to ${path.dirname(outside)})`);
    expect(readFileSync(outside, 'utf-8')).toBe('untouched\n');
  });

  test('writes whole through an exclusive temporary file with an unpredictable name, and leaves none behind', () => {
    const root = tempDir();
    writeFileAtomic(root, 'a/b.txt', 'one\n', { mode: 0o444 });
    writeFileAtomic(root, 'a/b.txt', 'two\n', { mode: 0o444 });
    expect(readFileSync(path.join(root, 'a/b.txt'), 'utf-8')).toBe('two\n');
    expect(lstatSync(path.join(root, 'a/b.txt')).mode & 0o777).toBe(0o444);
    expect(readdirSync(path.join(root, 'a'))).toEqual(['b.txt']);
  });

  test('creates a team\'s file only where nothing is, not even a dangling link (whose target it would create)', () => {
    const root = tempDir();
    const target = path.join(tempDir('fleet-outside-'), 'created.ts');
    mkdirSync(path.join(root, 'src'));
    symlinkSync(target, path.join(root, 'src/handler.ts'));
    expect(createFileExclusive(root, 'src/handler.ts', 'sample\n')).toBe(false);
    expect(existsSync(target)).toBe(false);
    expect(createFileExclusive(root, 'src/other.ts', 'sample\n')).toBe(true);
    expect(createFileExclusive(root, 'src/other.ts', 'again\n')).toBe(false);
    expect(readFileSync(path.join(root, 'src/other.ts'), 'utf-8')).toBe('sample\n');
  });
});

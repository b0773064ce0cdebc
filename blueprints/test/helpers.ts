import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Fleet, FleetOptions } from '../src';

/** A fresh empty folder for one test. */
export function tempDir(prefix = 'fleet-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Synthesizes a fleet into `outdir` in this process, without the root npm install. */
export function synthFleet(outdir: string, options: Omit<FleetOptions, 'outdir'>): Fleet {
  const fleet = new Fleet({ installAfterChange: false, ...options, outdir });
  fleet.synthOrThrow();
  return fleet;
}

/** Every file under `dir` (posix paths relative to it), node_modules excluded. */
export function listTree(dir: string, prefix = ''): string[] {
  if (!existsSync(path.join(dir, prefix))) return [];
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const rel = path.posix.join(prefix, entry.name);
      if (entry.name === 'node_modules') return [];
      return entry.isDirectory() ? listTree(dir, rel) : [rel];
    })
    .sort();
}

/** path -> content of every file under `dir`. */
export function readTree(dir: string): Record<string, string> {
  return Object.fromEntries(listTree(dir).map((file) => [file, readFileSync(path.join(dir, file), 'utf-8')]));
}

export function read(dir: string, file: string): string {
  return readFileSync(path.join(dir, file), 'utf-8');
}

/** Writes a file even if projen made it read-only (what a hand edit does). */
export function forceWrite(dir: string, file: string, contents: string): void {
  const full = path.join(dir, file);
  if (existsSync(full)) chmodSync(full, 0o644);
  writeFileSync(full, contents);
}

export function isReadOnly(dir: string, file: string): boolean {
  return (statSync(path.join(dir, file)).mode & 0o222) === 0;
}

/** A scenario's options from test/scenarios/<name>.json (`{ "name", "options" }`, the scenario kit's format). */
export function scenario(name: string): any {
  return JSON.parse(readFileSync(path.join(__dirname, 'scenarios', `${name}.json`), 'utf-8')).options;
}

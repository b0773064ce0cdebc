import { spawnSync, SpawnSyncReturns } from 'child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

/** The fleet repository this suite runs in. */
export const REPO = path.resolve(__dirname, '..');

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Runs a command and returns its result; never throws on a non-zero exit. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf-8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
}

/** Runs a command and fails the test with its output when it exits non-zero. */
export function runOk(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const result = run(command, args, cwd, env);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status} in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/**
 * A fleet repository in a temporary folder that uses this repository's blueprints (source)
 * and node_modules (symlinked), so `npx projen` works there without an install.
 */
export function createFleetRepo(manifest: string): string {
  const dir = tempDir('fleet-repo-');
  symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  writeManifest(dir, manifest);
  // A new repository has no .projen/tasks.json yet, so `npx projen` would not know how to run it.
  runOk('node', ['--require', 'tsx/cjs', '.projenrc.ts'], dir);
  runOk('git', ['init', '-q'], dir);
  runOk('git', ['add', '-A'], dir);
  runOk('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-qm', 'generated'], dir);
  return dir;
}

/** Writes a `.projenrc.ts` whose body is `manifest`, a `new Fleet({...})` expression's options. */
export function writeManifest(dir: string, manifest: string): void {
  writeFileSync(
    path.join(dir, '.projenrc.ts'),
    [
      `import { Fleet } from ${JSON.stringify(path.join(REPO, 'blueprints', 'src'))};`,
      `new Fleet({ installAfterChange: false, ...${manifest} }).synth();`,
      '',
    ].join('\n'),
  );
}

/** path -> content of every file under `dir`, without node_modules and .git. */
export function snapshotTree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    if (['node_modules', '.git', 'cdk.out'].includes(entry.name)) continue;
    const rel = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(out, snapshotTree(dir, rel));
    else out[rel] = readFileSync(path.join(dir, rel), 'utf-8');
  }
  return out;
}

/** Copies a folder without node_modules and build output. */
export function copyProject(from: string, to: string): void {
  cpSync(from, to, {
    recursive: true,
    filter: (source) => !['node_modules', 'cdk.out', 'coverage'].includes(path.basename(source)),
  });
}

/** `fleet-drift` from this repository's blueprints package (compiled by the test task's build step). */
export const FLEET_DRIFT = path.join(REPO, 'blueprints', 'bin', 'fleet-drift.js');

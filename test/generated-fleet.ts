/**
 * Helpers of the generation tests: generate fleets outside the repository (their node_modules a
 * symlink to ours, as `createFleetRepo` does), type-check generated projects with one
 * TypeScript Program, and synthesize their stacks in a child process.
 */
import { spawn } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { DEFAULT_BLUEPRINTS, Fleet } from '../blueprints/src';
import { REPO, runOk } from './support';
import type { SynthesizedStack } from './synth-stacks';

/**
 * A folder to generate fleets in: in memory (/dev/shm) where there is one, since generation is
 * mostly file writes; with a node_modules symlink to this repository's, so generated code
 * resolves `@fleet/workflows`, `aws-cdk-lib` and the type packages as in a service.
 */
export function generationRoot(prefix: string): string {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const root = mkdtempSync(path.join(base, prefix));
  symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

/** Generates a fleet of `services` into a new folder under `root` (no install) and returns the folder. */
export function generateFleet(root: string, services: readonly object[], name = 'fuzz-fleet'): string {
  const outdir = mkdtempSync(path.join(root, 'fleet-'));
  const previous = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  const write = process.stderr.write;
  // Advice (more than 15 functions) goes to stderr; it is not what these tests look at.
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    new Fleet({ name, outdir, installAfterChange: false, services: services as any }).synthOrThrow();
  } finally {
    process.stderr.write = write;
    if (previous === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = previous;
  }
  return outdir;
}

/**
 * Generates each service with its blueprint alone (no fleet root) into `<outdir>/projects/<name>`:
 * the same service files as `generateFleet`, for tests that compare projects and need no root.
 */
export function generateServices(root: string, services: readonly { name: string; blueprint: string }[]): string {
  const outdir = mkdtempSync(path.join(root, 'services-'));
  const previous = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    for (const { blueprint: id, ...options } of services) {
      const blueprint = DEFAULT_BLUEPRINTS.find((b) => b.id === id)!;
      blueprint.create(options, path.join(outdir, 'projects', options.name)).synth();
    }
  } finally {
    if (previous === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = previous;
  }
  return outdir;
}

/** Every `.ts` file of a generated project: its sources, its tests and its `.projenrc.ts`. */
export function projectTypeScriptFiles(projectDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      if (entry === 'node_modules' || entry === 'cdk.out') continue;
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.ts')) files.push(full);
    }
  };
  walk(projectDir);
  return files;
}

/**
 * Type-checks generated projects with the compiler options of their own tsconfig.json (strict,
 * noUnusedLocals, ...), all in one Program so the library declarations are read once.
 * Returns every diagnostic as `file(line,col): TSxxxx message`.
 */
export function typeCheckProjects(projectDirs: readonly string[]): string[] {
  if (projectDirs.length === 0) return [];
  const configFile = path.join(projectDirs[0], 'tsconfig.json');
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configFile, ts.sys.readFile).config, ts.sys, projectDirs[0]);
  const options: ts.CompilerOptions = { ...config.options, noEmit: true, typeRoots: [path.join(REPO, 'node_modules', '@types')] };
  const host = ts.createCompilerHost(options);
  // As tsc itself parses (its hosts' default since TypeScript 5.3): JSDoc only where it can
  // change a type error, i.e. in JavaScript files. Most of the Program's time is parsing the
  // aws-cdk-lib declarations, whose JSDoc is most of their text.
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const program = ts.createProgram({ rootNames: projectDirs.flatMap(projectTypeScriptFiles), options, host });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? (() => {
      const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start!);
      return `${d.file!.fileName}(${line + 1},${character + 1})`;
    })() : '(no file)';
    return `${where}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** `synthesizeStacks` without waiting: the child runs while this process does something else (a type-check). */
export function synthesizeStacksInBackground(stacks: readonly { dir: string; id: string; checks?: boolean }[]): Promise<SynthesizedStack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', ['--require', 'tsx/cjs', path.join(REPO, 'test', 'synth-stacks.ts'), JSON.stringify(stacks)], { cwd: REPO });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`synth-stacks exited with ${code ?? signal}:\n${stdout}\n${stderr}`));
      const lines = stdout.trim().split('\n');
      resolve(JSON.parse(lines[lines.length - 1]));
    });
  });
}

/** Synthesizes generated stacks with the real aws-cdk-lib in one child process. */
export function synthesizeStacks(stacks: readonly { dir: string; id: string; checks?: boolean }[]): SynthesizedStack[] {
  const out = runOk('node', ['--require', 'tsx/cjs', path.join(REPO, 'test', 'synth-stacks.ts'), JSON.stringify(stacks)], REPO);
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FilePolicySet, OwnedFile } from '@fleet/blueprints';
import { keepCleanupToFileManifest } from '@fleet/blueprints';
import { Project } from 'projen/lib/project';
import { CliError } from '../src';
import { checkFailure, runOwned } from '../src/commands/owned';
import { main } from '../src/main';

const V1 = '// Handles an order.\nexport function handle(order: unknown) {\n  return order;\n}\n';
const V2 = '// Handles an order. Idempotent: EventBridge delivers at least once.\nexport function handle(order: unknown) {\n  return order;\n}\n';

/** A generated project (real projen, a real owned file) that looks like a service folder to the CLI. */
function generate(dir: string, sample: string): void {
  const project = new Project({ name: 'orders', outdir: dir, commitGenerated: true });
  keepCleanupToFileManifest(project);
  new OwnedFile(project, 'src/handler.ts', sample);
  new OwnedFile(project, 'src/stack.ts', 'export {};\n');
  project.synth();
}

function serviceWithUpdate(teamEdit: (text: string) => string): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'fleet-owned-')), 'orders');
  mkdirSync(dir);
  generate(dir, V1);
  writeFileSync(path.join(dir, 'src/handler.ts'), teamEdit(V1));
  generate(dir, V2);
  return dir;
}

describe('fleet owned', () => {
  test('lists the updates without writing anything', () => {
    const dir = serviceWithUpdate((t) => t.replace('return order;', 'return { order };'));
    expect(runOwned(undefined, {}, dir)).toEqual({
      text: 'orders:\n  src/handler.ts  update merges cleanly\n\nNothing was written. Take the clean updates with --apply (see them first with --diff).\n',
      conflictsLeft: 0,
      waiting: 1,
    });
    expect(readFileSync(path.join(dir, 'src/handler.ts'), 'utf-8')).toContain('return { order };');
    expect(readFileSync(path.join(dir, 'src/handler.ts'), 'utf-8')).not.toContain('Idempotent');
  });

  test('--diff shows what taking the update changes in the team\'s file', () => {
    const dir = serviceWithUpdate((t) => t.replace('return order;', 'return { order };'));
    const { text } = runOwned(undefined, { diff: true }, dir);
    expect(text).toContain('--- a/src/handler.ts\tyours\n+++ b/src/handler.ts\tafter the merge\n');
    expect(text).toContain('-// Handles an order.\n+// Handles an order. Idempotent: EventBridge delivers at least once.\n');
  });

  test('--apply merges, keeping the team\'s edit', () => {
    const dir = serviceWithUpdate((t) => t.replace('return order;', 'return { order };'));
    const { text } = runOwned(undefined, { apply: true }, dir);
    expect(text).toBe('orders:\n  src/handler.ts  merged\n\nReview with git diff, run the tests (npx projen test in the project), then commit.\n');
    expect(readFileSync(path.join(dir, 'src/handler.ts'), 'utf-8')).toBe(V2.replace('return order;', 'return { order };'));
    expect(runOwned(undefined, {}, dir).text).toBe('orders: up to date\n');
  });

  test('a conflict is counted for the exit code and left untouched', () => {
    const dir = serviceWithUpdate((t) => t.replace('// Handles an order.', '// Handles an order of the EU shop.'));
    const result = runOwned(undefined, { apply: true }, dir);
    expect(result).toEqual({ text: 'orders:\n  src/handler.ts  update with 1 conflict: left as it is\n', conflictsLeft: 1, waiting: 1 });
    expect(readFileSync(path.join(dir, 'src/handler.ts'), 'utf-8')).toContain('EU shop');
    const forced = runOwned(undefined, { apply: true, withConflicts: true }, dir);
    expect(forced.text).toContain('src/handler.ts  merged with 1 conflict marked: resolve the markers');
    expect(readFileSync(path.join(dir, 'src/handler.ts'), 'utf-8')).toContain('<<<<<<< yours');
  });

  test('--with-conflicts without --apply is refused with the fix', () => {
    const dir = serviceWithUpdate((t) => t);
    expect(() => runOwned(undefined, { withConflicts: true }, dir)).toThrow(CliError);
    expect(() => runOwned(undefined, { withConflicts: true }, dir)).toThrow('fleet owned --with-conflicts: only changes what --apply writes, and --apply is not given. Fix: add --apply, or drop --with-conflicts to only look.');
  });
});

/** Every file below `dir` with its bytes and modification time: what "writes nothing" is checked against. */
function filesWithTimes(dir: string): Record<string, { bytes: string; mtimeMs: number }> {
  const out: Record<string, { bytes: string; mtimeMs: number }> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = { bytes: readFileSync(file).toString('base64'), mtimeMs: statSync(file).mtimeMs };
  }
  return out;
}

/** Runs `fleet <args>` in `cwd` as a user would (the real program), capturing output and exit code. */
async function fleet(args: string[], cwd: string): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => { out.push(String(chunk)); return true; });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { err.push(String(chunk)); return true; });
  const cwdSpy = jest.spyOn(process, 'cwd').mockReturnValue(cwd);
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    await main(['node', 'fleet', ...args]);
    return { stdout: out.join(''), stderr: err.join(''), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = before;
    stdout.mockRestore();
    stderr.mockRestore();
    cwdSpy.mockRestore();
  }
}

describe('fleet owned --check (for CI)', () => {
  test('GIVEN an owned file with a blueprint update not taken WHEN fleet owned --check runs THEN it lists the update, exits 1 with the fix, and no file changes (bytes and mtime)', async () => {
    const dir = serviceWithUpdate((t) => t.replace('return order;', 'return { order };'));
    const before = filesWithTimes(dir);
    const result = await fleet(['owned', '--check'], dir);
    expect(result).toEqual({
      stdout: 'orders:\n  src/handler.ts  update merges cleanly\n',
      stderr: `${checkFailure(1)}\n`,
      exitCode: 1,
    });
    expect(checkFailure(1)).toBe('fleet owned --check: 1 blueprint update of owned files is not taken yet (nothing was written). Fix: run npx fleet owned --apply (see them first with --diff), resolve any conflict, test and commit.');
    expect(filesWithTimes(dir)).toEqual(before);
  });

  test('GIVEN a conflicting update WHEN --check --diff runs THEN the diff is shown, the update counts as waiting, and nothing is written', async () => {
    const dir = serviceWithUpdate((t) => t.replace('// Handles an order.', '// Handles an order of the EU shop.'));
    const before = filesWithTimes(dir);
    const result = await fleet(['owned', '--check', '--diff'], dir);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('src/handler.ts  update with 1 conflict: left as it is');
    expect(result.stdout).toContain('<<<<<<< yours');
    expect(result.stderr).toBe(`${checkFailure(1)}\n`);
    expect(filesWithTimes(dir)).toEqual(before);
  });

  test('GIVEN every update taken WHEN --check runs THEN it exits 0 and writes nothing', async () => {
    const dir = serviceWithUpdate((t) => t.replace('return order;', 'return { order };'));
    runOwned(undefined, { apply: true }, dir);
    const before = filesWithTimes(dir);
    expect(await fleet(['owned', '--check'], dir)).toEqual({ stdout: 'orders: up to date\n', stderr: '', exitCode: 0 });
    expect(filesWithTimes(dir)).toEqual(before);
  });

  test('GIVEN add-only and never-update files whose blueprint sample changed WHEN --check runs THEN they are named by policy, not counted as waiting, and it exits 0', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'fleet-owned-')), 'orders');
    mkdirSync(dir);
    const generatePolicies = (sample: string): void => {
      const project = new Project({ name: 'orders', outdir: dir, commitGenerated: true });
      keepCleanupToFileManifest(project);
      new OwnedFile(project, 'src/handler.ts', sample);
      new OwnedFile(project, 'events/order.json', sample);
      new OwnedFile(project, 'README.md', sample);
      new OwnedFile(project, 'src/stack.ts', 'export {};\n');
      FilePolicySet.of(project).defaults({ 'events/**': 'add-only' }).override({ 'README.md': 'never-update' }, 'files').apply();
      project.synth();
    };
    generatePolicies(V1);
    generatePolicies(V2);
    expect(await fleet(['owned', '--check'], dir)).toEqual({
      stdout: 'orders:\n  src/handler.ts  update merges cleanly\n  not compared with the blueprint (yours as they are): 1 add-only (events/order.json), 1 never-update (README.md)\n',
      stderr: `${checkFailure(1)}\n`,
      exitCode: 1,
    });
    expect(JSON.parse(runOwned(undefined, { json: true }, dir).text)[0].notCompared).toEqual({ 'add-only': ['events/order.json'], 'never-update': ['README.md'] });
  });

  test('GIVEN --check with --json WHEN updates wait THEN the JSON lists them and the count decides the exit code', () => {
    const dir = serviceWithUpdate((t) => t);
    const report = runOwned(undefined, { check: true, json: true }, dir);
    expect(JSON.parse(report.text)).toEqual([{ project: 'orders', updates: [{ path: 'src/handler.ts', status: 'clean', conflicts: 0, applied: false }], notCompared: { 'add-only': [], 'never-update': [] } }]);
    expect(report.waiting).toBe(1);
  });

  test('GIVEN --check with --apply WHEN it runs THEN it is refused with the fix and nothing is written', () => {
    const dir = serviceWithUpdate((t) => t);
    const before = filesWithTimes(dir);
    expect(() => runOwned(undefined, { check: true, apply: true }, dir)).toThrow('fleet owned --check: writes nothing and takes no --apply or --with-conflicts, got "--apply". Fix: run --check alone (in CI), or drop --check to take the updates.');
    expect(filesWithTimes(dir)).toEqual(before);
  });
});

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OwnedFile } from '@fleet/blueprints';
import { keepCleanupToFileManifest } from '@fleet/blueprints';
import { Project } from 'projen/lib/project';
import { CliError } from '../src';
import { runOwned } from '../src/commands/owned';

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
    expect(result).toEqual({ text: 'orders:\n  src/handler.ts  update with 1 conflict: left as it is\n', conflictsLeft: 1 });
    expect(readFileSync(path.join(dir, 'src/handler.ts'), 'utf-8')).toContain('EU shop');
    const forced = runOwned(undefined, { apply: true, withConflicts: true }, dir);
    expect(forced.text).toContain('src/handler.ts  merged with 1 conflict marked: resolve the markers');
    expect(readFileSync(path.join(dir, 'src/handler.ts'), 'utf-8')).toContain('<<<<<<< yours');
  });

  test('--with-conflicts without --apply is refused with the fix', () => {
    const dir = serviceWithUpdate((t) => t);
    expect(() => runOwned(undefined, { withConflicts: true }, dir)).toThrow(CliError);
    expect(() => runOwned(undefined, { withConflicts: true }, dir)).toThrow('--with-conflicts only changes what --apply writes. Fix: add --apply, or drop --with-conflicts to only look.');
  });
});

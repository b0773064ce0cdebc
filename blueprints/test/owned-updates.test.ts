import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import * as path from 'path';
import { Project } from 'projen/lib/project';
import { applyOwnedUpdates, mergeOwned, nextLedgerEntry, OWNED_LEDGER_FILE, OwnedFile, planOwnedUpdates, readOwnedLedger } from '../src';
import { keepCleanupToFileManifest } from '../src/private/cleanup';
import { forceWrite, read, tempDir } from './helpers';

/** The blueprint's sample of an owned file, version 1 and version 2 (a later blueprint improvement). */
const V1 = ['// Handles an order.', 'export function handle(order: Order) {', '  return order;', '}', ''].join('\n');
const V2 = ['// Handles an order. Idempotent: EventBridge delivers at least once.', 'export function handle(order: Order) {', '  return order;', '}', ''].join('\n');

/** A real projen project with one owned file whose sample is `sample`: what a blueprint generates. */
function generate(dir: string, sample: string): void {
  const project = new Project({ name: 'svc', outdir: dir, commitGenerated: true });
  keepCleanupToFileManifest(project);
  new OwnedFile(project, 'src/handler.ts', sample);
  project.synth();
}

const ledger = (dir: string) => readOwnedLedger(dir).files['src/handler.ts'];

describe('the ledger of owned files', () => {
  test('records what the blueprint wrote as the base of later merges', () => {
    const dir = tempDir();
    generate(dir, V1);
    expect(read(dir, 'src/handler.ts')).toBe(V1);
    expect(ledger(dir)).toEqual({ base: V1 });
  });

  test('a blueprint change is proposed, never written into the team\'s file; regenerating again changes nothing', () => {
    const dir = tempDir();
    generate(dir, V1);
    const edited = V1.replace('  return order;', '  return { ...order, checked: true };');
    writeFileSync(path.join(dir, 'src/handler.ts'), edited);
    generate(dir, V2);
    expect(read(dir, 'src/handler.ts')).toBe(edited);
    expect(ledger(dir)).toEqual({ base: V1, proposed: V2 });
    const before = read(dir, OWNED_LEDGER_FILE);
    generate(dir, V2);
    expect(read(dir, OWNED_LEDGER_FILE)).toBe(before);
  });

  test('--apply merges the blueprint change into the team\'s edit and records it as taken', () => {
    const dir = tempDir();
    generate(dir, V1);
    const edited = V1.replace('  return order;', '  return { ...order, checked: true };');
    writeFileSync(path.join(dir, 'src/handler.ts'), edited);
    generate(dir, V2);

    expect(planOwnedUpdates(dir).map((u) => [u.path, u.status, u.conflicts])).toEqual([['src/handler.ts', 'clean', 0]]);
    expect(read(dir, 'src/handler.ts')).toBe(edited); // planning writes nothing
    const result = applyOwnedUpdates(dir);

    expect(result.applied.map((u) => u.path)).toEqual(['src/handler.ts']);
    expect(read(dir, 'src/handler.ts')).toBe(V2.replace('  return order;', '  return { ...order, checked: true };'));
    expect(ledger(dir)).toEqual({ base: V2 });
    // The next regeneration agrees: nothing more to propose, the team's file untouched.
    generate(dir, V2);
    expect(ledger(dir)).toEqual({ base: V2 });
    expect(read(dir, 'src/handler.ts')).toContain('checked: true');
  });

  test('a conflict leaves the file untouched, unless asked to write it with markers', () => {
    const dir = tempDir();
    generate(dir, V1);
    const edited = V1.replace('// Handles an order.', '// Handles an order of the EU shop.');
    writeFileSync(path.join(dir, 'src/handler.ts'), edited);
    generate(dir, V2);

    const [update] = planOwnedUpdates(dir);
    expect([update.status, update.conflicts]).toEqual(['conflict', 1]);
    const refused = applyOwnedUpdates(dir);
    expect(refused.applied).toEqual([]);
    expect(read(dir, 'src/handler.ts')).toBe(edited);
    expect(ledger(dir)).toEqual({ base: V1, proposed: V2 });

    applyOwnedUpdates(dir, { withConflicts: true });
    expect(read(dir, 'src/handler.ts')).toBe([
      '<<<<<<< yours',
      '// Handles an order of the EU shop.',
      '||||||| blueprint before',
      '// Handles an order.',
      '=======',
      '// Handles an order. Idempotent: EventBridge delivers at least once.',
      '>>>>>>> blueprint now',
      'export function handle(order: Order) {',
      '  return order;',
      '}',
      '',
    ].join('\n'));
    expect(ledger(dir)).toEqual({ base: V2, writtenWithConflicts: true });
  });

  test('an unedited file takes the update whole; a file already like the new sample needs nothing', () => {
    const dir = tempDir();
    generate(dir, V1);
    generate(dir, V2);
    expect(planOwnedUpdates(dir).map((u) => u.status)).toEqual(['clean']);
    applyOwnedUpdates(dir);
    expect(read(dir, 'src/handler.ts')).toBe(V2);

    const other = tempDir();
    generate(other, V1);
    forceWrite(other, 'src/handler.ts', V2);
    generate(other, V2);
    expect(ledger(other)).toEqual({ base: V2 });
  });

  test('a project from before ledgers starts with today\'s sample as its base, whatever the team changed', () => {
    const dir = tempDir();
    generate(dir, V1);
    rmSync(path.join(dir, OWNED_LEDGER_FILE), { force: true });
    writeFileSync(path.join(dir, 'src/handler.ts'), 'export const teamCode = 1;\n');
    generate(dir, V1);
    expect(ledger(dir)).toEqual({ base: V1 });
    expect(read(dir, 'src/handler.ts')).toBe('export const teamCode = 1;\n');
  });

  test('a file still holding the conflict markers --apply --with-conflicts wrote is not merged again', () => {
    const dir = tempDir();
    generate(dir, V1);
    writeFileSync(path.join(dir, 'src/handler.ts'), V1.replace('// Handles an order.', '// Handles an order of the EU shop.'));
    generate(dir, V2);
    applyOwnedUpdates(dir, { withConflicts: true });
    const marked = read(dir, 'src/handler.ts');
    const V3 = `${V2}// v3\n`;
    generate(dir, V3);
    expect(ledger(dir)).toEqual({ base: V2, proposed: V3, writtenWithConflicts: true });
    expect(planOwnedUpdates(dir).map((u) => u.status)).toEqual(['unresolved']);
    applyOwnedUpdates(dir, { withConflicts: true });
    expect(read(dir, 'src/handler.ts')).toBe(marked);
  });

  test('never loses a team\'s edit: a file whose own content has conflict-marker-like lines still takes updates', () => {
    const dir = tempDir();
    const withMarkers = `${V1}/*\n<<<<<<< yours\n=======\n>>>>>>> blueprint now\n*/\n`;
    generate(dir, V1);
    writeFileSync(path.join(dir, 'src/handler.ts'), withMarkers);
    generate(dir, V2);
    expect(planOwnedUpdates(dir).map((u) => u.status)).toEqual(['clean']);
    applyOwnedUpdates(dir);
    expect(read(dir, 'src/handler.ts')).toBe(withMarkers.replace(V1, V2));
    // Once resolved, a file written with conflicts takes the next update like any other.
    expect(ledger(dir)).toEqual({ base: V2 });
  });

  test('a deleted owned file is reported, not recreated by --apply', () => {
    const dir = tempDir();
    generate(dir, V1);
    writeFileSync(path.join(dir, 'src/handler.ts'), `${V1}// team\n`);
    generate(dir, V2);
    rmSync(path.join(dir, 'src/handler.ts'));
    expect(planOwnedUpdates(dir).map((u) => u.status)).toEqual(['missing']);
    expect(applyOwnedUpdates(dir).skipped.map((u) => u.status)).toEqual(['missing']);
    expect(existsSync(path.join(dir, 'src/handler.ts'))).toBe(false);
  });

  test('a ledger naming a file outside the project is refused before anything is written', () => {
    const dir = tempDir();
    generate(dir, V1);
    forceWrite(dir, OWNED_LEDGER_FILE, JSON.stringify({ files: { '../escape.ts': { base: 'a', proposed: 'b' } } }));
    expect(() => applyOwnedUpdates(dir)).toThrow('"../escape.ts" is not a path inside the project. Fix: restore the file from git; it is generated, never edited by hand.');
  });

  test('a broken ledger is named with the fix', () => {
    const dir = tempDir();
    generate(dir, V1);
    forceWrite(dir, OWNED_LEDGER_FILE, '{ nope');
    expect(() => readOwnedLedger(dir)).toThrow(/owned-files\.json is not valid JSON .* Fix: restore it from git \(git checkout -- \.projen\/owned-files\.json\)/);
  });
});

describe('fleet owned on files that are big, binary, linked or not owned', () => {
  test('never loses a team\'s edit: 100,000-line owned files merge (no "Maximum call stack size exceeded")', () => {
    const table = `${Array.from({ length: 100000 }, (_, i) => `export const rate${i} = ${i};`).join('\n')}\n`;
    // The blueprint's sample was a 100,000-line table; the team changed a line, the blueprint
    // now generates something else entirely: one conflict, the file left as it is.
    const dir = tempDir();
    generate(dir, table);
    const edited = table.replace('rate5 = 5;', 'rate5 = 55;');
    writeFileSync(path.join(dir, 'src/handler.ts'), edited);
    generate(dir, V2);
    const [update] = planOwnedUpdates(dir);
    expect([update.status, update.conflicts]).toEqual(['conflict', 1]);
    applyOwnedUpdates(dir);
    expect(read(dir, 'src/handler.ts')).toBe(edited);

    // One edit on each side of a 100,000-line file merges cleanly.
    const other = tempDir();
    generate(other, table);
    writeFileSync(path.join(other, 'src/handler.ts'), edited);
    generate(other, table.replace('rate99990 = 99990;', 'rate99990 = 1;'));
    applyOwnedUpdates(other);
    expect(read(other, 'src/handler.ts')).toBe(edited.replace('rate99990 = 99990;', 'rate99990 = 1;'));
  });

  test('never loses a team\'s edit: a file that is not UTF-8 is skipped with the reason, its bytes untouched', () => {
    const dir = tempDir();
    generate(dir, V1);
    const latin1 = Buffer.concat([Buffer.from('// Gr'), Buffer.from([0xfc]), Buffer.from('\u00dfe\nexport const x = 1;\n')]);
    writeFileSync(path.join(dir, 'src/handler.ts'), latin1);
    generate(dir, V2);
    expect(planOwnedUpdates(dir).map((u) => [u.status, u.reason])).toEqual([['not-text', 'is not UTF-8 text']]);
    expect(applyOwnedUpdates(dir).skipped.map((u) => u.status)).toEqual(['not-text']);
    expect(readFileSync(path.join(dir, 'src/handler.ts')).equals(latin1)).toBe(true);
  });

  test('never writes outside the project: an owned file that is a link out of the project is not merged through', () => {
    const dir = tempDir();
    generate(dir, V1);
    const target = path.join(tempDir('fleet-outside-'), 'handler.ts');
    writeFileSync(target, V1);
    rmSync(path.join(dir, 'src/handler.ts'));
    symlinkSync(target, path.join(dir, 'src/handler.ts'));
    generate(dir, V2);
    forceWrite(dir, OWNED_LEDGER_FILE, JSON.stringify({ files: { 'src/handler.ts': { base: V1, proposed: V2 } } }));
    expect(planOwnedUpdates(dir).map((u) => [u.status, u.reason])).toEqual([['not-text', 'is a symbolic link; the fleet never writes through one']]);
    applyOwnedUpdates(dir);
    expect(readFileSync(target, 'utf-8')).toBe(V1);
  });

  test('never writes outside the project: a link pre-placed at a temporary name of --apply is not written through', () => {
    const dir = tempDir();
    generate(dir, V1);
    writeFileSync(path.join(dir, 'src/handler.ts'), `${V1}// team\n`);
    generate(dir, V2);
    const target = path.join(tempDir('fleet-outside-'), 'victim.txt');
    writeFileSync(target, 'untouched\n');
    // The fixed name older versions used, and the ledger's.
    symlinkSync(target, path.join(dir, 'src/handler.ts.fleet-owned-merge'));
    symlinkSync(target, path.join(dir, `${OWNED_LEDGER_FILE}.fleet-owned-merge`));
    expect(applyOwnedUpdates(dir).applied.map((u) => u.path)).toEqual(['src/handler.ts']);
    expect(readFileSync(target, 'utf-8')).toBe('untouched\n');
    expect(read(dir, 'src/handler.ts')).toBe(`${V2}// team\n`);
  });

  test('never overwrites a managed file: ledger keys naming src/stack.ts or .projen/tasks.json are refused by name', () => {
    const dir = tempDir();
    generate(dir, V1);
    const tasks = read(dir, '.projen/tasks.json');
    forceWrite(dir, OWNED_LEDGER_FILE, JSON.stringify({ files: { '.projen/tasks.json': { base: tasks, proposed: '{}' }, 'src/handler.ts': { base: V1 } } }));
    expect(() => applyOwnedUpdates(dir)).toThrow(
      `${path.join(dir, OWNED_LEDGER_FILE)} names 1 managed file (".projen/tasks.json"; listed in .projen/files.json or generated by projen); fleet owned merges only into files a team owns. Fix: restore the ledger from git (git checkout -- .projen/owned-files.json), or run npx projen, which rewrites it from the blueprint.`,
    );
    expect(read(dir, '.projen/tasks.json')).toBe(tasks);
  });
});

describe('nextLedgerEntry', () => {
  test.each([
    ['a file written now', undefined, undefined, 'new', { base: 'new' }],
    ['no previous entry', undefined, 'team', 'new', { base: 'new' }],
    ['the blueprint unchanged', { base: 'old' }, 'team', 'old', { base: 'old' }],
    ['the team already has the new sample', { base: 'old' }, 'new', 'new', { base: 'new' }],
    ['a blueprint change to take', { base: 'old' }, 'team', 'new', { base: 'old', proposed: 'new' }],
  ])('%s', (_name, previous, ours, generated, expected) => {
    expect(nextLedgerEntry(previous as any, ours as any, generated as string)).toEqual(expected);
  });
});

describe('mergeOwned', () => {
  test('takes changes of either side, and the same change on both sides once', () => {
    const base = 'a\nb\nc\nd\n';
    expect(mergeOwned('a\nB\nc\nd\n', base, 'a\nb\nc\nD\n')).toEqual({ text: 'a\nB\nc\nD\n', conflicts: 0 });
    expect(mergeOwned('a\nB\nc\nd\n', base, 'a\nB\nc\nd\n')).toEqual({ text: 'a\nB\nc\nd\n', conflicts: 0 });
  });

  test('a team file with CRLF line ends merges like its LF twin and keeps CRLF', () => {
    const merged = mergeOwned('a\r\nB\r\nc\r\nd\r\n', 'a\nb\nc\nd\n', 'a\nb\nc\nD\n');
    expect(merged).toEqual({ text: 'a\r\nB\r\nc\r\nD\r\n', conflicts: 0 });
  });

  test('a file with mixed line ends keeps them as they are where the team wrote them', () => {
    const merged = mergeOwned('a\r\nb\nc\nd\ne\nF\n', 'a\nb\nc\nd\ne\nf\n', 'a\nb\nC\nd\ne\nf\n');
    expect(merged).toEqual({ text: 'a\r\nb\nC\nd\ne\nF\n', conflicts: 0 });
  });

  test('never drops a line the team added', () => {
    const merged = mergeOwned('import x;\na\nb\nteam line\n', 'a\nb\n', 'a\nb2\n');
    expect(merged.text.split('\n')).toEqual(expect.arrayContaining(['import x;', 'team line', 'b2']));
  });
});

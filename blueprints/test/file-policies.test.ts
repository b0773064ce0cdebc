import { existsSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { Project } from 'projen/lib/project';
import { FilePolicies, FilePolicySet, FleetManifestError, ManagedTextFile, OWNED_LEDGER_FILE, OwnedFile, OwnedFileConflictError, readOwnedLedger, StepFunctionsService } from '../src';
import { keepCleanupToFileManifest } from '../src/private/cleanup';
import { forceWrite, isReadOnly, listTree, read, synthFleet, tempDir } from './helpers';

/**
 * A scratch blueprint, synthesized by real projen: one managed file it keeps managed
 * (`src/stack.ts`), one managed file a team may take (`README.md`), owned files under `src/`
 * and `events/`, whose samples are version `v` of the blueprint.
 */
function generate(dir: string, v: number, files?: FilePolicies): void {
  const project = new Project({ name: 'svc', outdir: dir, commitGenerated: true });
  keepCleanupToFileManifest(project);
  new ManagedTextFile(project, 'src/stack.ts', { contents: `export const stack = ${v};` });
  new ManagedTextFile(project, 'README.md', { contents: `# svc\n\nBlueprint version ${v}.` });
  new OwnedFile(project, 'src/handler.ts', `// Handles an order (blueprint version ${v}).\nexport const handle = (order: unknown) => order;`);
  new OwnedFile(project, 'events/order.json', `{ "version": ${v} }`);
  const policies = FilePolicySet.of(project).keepManaged('src/stack.ts').defaults({ 'events/**': 'add-only' }).override(files, 'files');
  const problems = policies.apply();
  if (problems.length > 0) throw new FleetManifestError(problems, 'The options of svc');
  project.synth();
}

const MANAGED = (dir: string): string[] => JSON.parse(read(dir, '.projen/files.json')).files;
const EDIT = '// edited by the team\n';

describe('file policies, through real projen synthesis on a scratch project', () => {
  test('GIVEN three-way-merge (an owned file\'s default) WHEN the team edits it and the blueprint changes THEN the edit stays and the change is proposed', () => {
    const dir = tempDir();
    generate(dir, 1);
    writeFileSync(path.join(dir, 'src/handler.ts'), EDIT);
    generate(dir, 2);
    expect(read(dir, 'src/handler.ts')).toBe(EDIT);
    expect(readOwnedLedger(dir).files['src/handler.ts']).toEqual({
      base: '// Handles an order (blueprint version 1).\nexport const handle = (order: unknown) => order;\n',
      proposed: '// Handles an order (blueprint version 2).\nexport const handle = (order: unknown) => order;\n',
    });
  });

  test('GIVEN add-only (the blueprint default for events/**) WHEN the team edits it and the blueprint changes THEN the edit stays, nothing is proposed; deleted, it is written again', () => {
    const dir = tempDir();
    generate(dir, 1);
    writeFileSync(path.join(dir, 'events/order.json'), '{ "mine": true }\n');
    generate(dir, 2);
    expect(read(dir, 'events/order.json')).toBe('{ "mine": true }\n');
    expect(readOwnedLedger(dir).files['events/order.json']).toEqual({ base: '{ "version": 1 }\n', policy: 'add-only' });

    rmSync(path.join(dir, 'events/order.json'));
    generate(dir, 2);
    expect(read(dir, 'events/order.json')).toBe('{ "version": 2 }\n');
    expect(readOwnedLedger(dir).files['events/order.json']).toEqual({ base: '{ "version": 2 }\n', policy: 'add-only' });
  });

  test('GIVEN never-update WHEN the team edits the file and the blueprint changes THEN the edit stays, nothing is proposed; deleted, it stays deleted', () => {
    const dir = tempDir();
    const files: FilePolicies = { 'src/**': 'never-update', 'src/stack.ts': 'always-update' };
    generate(dir, 1, files);
    writeFileSync(path.join(dir, 'src/handler.ts'), EDIT);
    generate(dir, 2, files);
    expect(read(dir, 'src/handler.ts')).toBe(EDIT);
    expect(readOwnedLedger(dir).files['src/handler.ts']).toEqual({ base: '// Handles an order (blueprint version 1).\nexport const handle = (order: unknown) => order;\n', policy: 'never-update' });

    rmSync(path.join(dir, 'src/handler.ts'));
    generate(dir, 3, files);
    expect(existsSync(path.join(dir, 'src/handler.ts'))).toBe(false);
    const ledger = read(dir, OWNED_LEDGER_FILE);
    generate(dir, 3, files);
    expect(read(dir, OWNED_LEDGER_FILE)).toBe(ledger);
  });

  test('GIVEN a managed README handed over as never-update WHEN regenerated THEN it is the team\'s (no marker, writable, not in files.json) and keeps their edit', () => {
    const dir = tempDir();
    generate(dir, 1);
    expect(isReadOnly(dir, 'README.md')).toBe(true);

    generate(dir, 2, { 'README.md': 'never-update' });
    expect(read(dir, 'README.md')).toBe('# svc\n\nBlueprint version 2.\n');
    expect(isReadOnly(dir, 'README.md')).toBe(false);
    expect(MANAGED(dir)).not.toContain('README.md');

    writeFileSync(path.join(dir, 'README.md'), '# our service\n');
    generate(dir, 3, { 'README.md': 'never-update' });
    expect(read(dir, 'README.md')).toBe('# our service\n');
  });

  test('GIVEN always-update on an owned path of a new project THEN it is managed: marked, read-only, listed, and a hand edit is overwritten by the next run', () => {
    const dir = tempDir();
    generate(dir, 1, { 'src/handler.ts': 'always-update' });
    expect(read(dir, 'src/handler.ts')).toContain('~~ Generated by projen');
    expect(isReadOnly(dir, 'src/handler.ts')).toBe(true);
    expect(MANAGED(dir)).toContain('src/handler.ts');
    expect(readOwnedLedger(dir).files['src/handler.ts']).toBeUndefined();
    const generated = read(dir, 'src/handler.ts');
    forceWrite(dir, 'src/handler.ts', EDIT);
    generate(dir, 1, { 'src/handler.ts': 'always-update' });
    expect(read(dir, 'src/handler.ts')).toBe(generated);
  });

  test('GIVEN always-update on an owned file the team already edited THEN the fleet refuses to overwrite it and writes nothing', () => {
    const dir = tempDir();
    const fleetFiles = (files?: FilePolicies) => synthFleet(dir, { name: 'acme', services: [{ name: 'orders', blueprint: 'step-functions-service', functions: { 'take-order': {} }, ...(files ? { files } : {}) }] });
    fleetFiles();
    const workflow = path.join(dir, 'projects/orders/src/workflow.ts');
    writeFileSync(workflow, EDIT);
    const before = listTree(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf-8')]);
    expect(() => fleetFiles({ 'src/workflow.ts': 'always-update' })).toThrow(OwnedFileConflictError);
    expect(listTree(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf-8')])).toEqual(before);
  });
});

describe('file policy overrides are validated, every problem at once, before anything is written', () => {
  test('GIVEN a service with an unknown policy, a glob matching nothing and a glob handing over kept-managed files THEN one error lists the three', () => {
    const dir = tempDir();
    const files = { 'src/functions/**': 'never', 'src/handlers/**': 'never-update', 'src/*.ts': 'never-update' } as unknown as FilePolicies;
    expect(() => synthFleet(dir, { name: 'acme', services: [{ name: 'orders', blueprint: 'step-functions-service', functions: { 'take-order': {} }, files }] })).toThrow(
      [
        'The fleet manifest (.projenrc.ts) has 1 problem; no file was changed:',
        '  1. services["orders"].files["src/functions/**"]: is not a file policy, got "never". Fix: use one of "always-update", "never-update", "add-only", "three-way-merge".',
      ].join('\n'),
    );
    expect(listTree(dir)).toEqual([]);

    const sound = { 'src/handlers/**': 'never-update', 'src/*.ts': 'never-update', 'README.md': 'never-update' } as FilePolicies;
    expect(() => synthFleet(dir, { name: 'acme', services: [{ name: 'orders', blueprint: 'step-functions-service', functions: { 'take-order': {} }, files: sound }, { name: 'billing', blueprint: 'step-functions-service', functions: { bill: {} }, files: { '.projenrc.ts': 'add-only' } }] })).toThrow(
      [
        'The fleet manifest (.projenrc.ts) has 3 problems; no file was changed:',
        '  1. services["orders"].files["src/handlers/**"]: matches no file the blueprint writes, got "src/handlers/**". Fix: match files it writes (in the project folder, .github/workflows/, src/, src/functions/, src/runtime/, test/, test/functions/), or remove the entry.',
        '  2. services["orders"].files["src/*.ts"]: would make src/main.ts, src/stack.ts the team\'s (never-update), but the blueprint keeps them managed, got "never-update". Fix: narrow the glob so it leaves out src/main.ts, src/stack.ts.',
        '  3. services["billing"].files[".projenrc.ts"]: would make .projenrc.ts the team\'s (add-only), but the blueprint keeps it managed, got "add-only". Fix: narrow the glob so it leaves out .projenrc.ts.',
      ].join('\n'),
    );
    expect(listTree(dir)).toEqual([]);
  });

  test('GIVEN a standalone service (its own .projenrc.ts) with a bad override THEN its constructor options are named', () => {
    const dir = tempDir();
    const service = new StepFunctionsService({ name: 'orders', functions: { 'take-order': {} }, outdir: dir, files: { 'package.json': 'never-update' } });
    expect(() => service.synth()).toThrow(
      'The options of orders has 1 problem; no file was changed:\n  1. files["package.json"]: would make package.json the team\'s (never-update), but the blueprint keeps it managed, got "never-update". Fix: narrow the glob so it leaves out package.json.',
    );
    expect(listTree(dir)).toEqual([]);
  });
});

describe('file policies in a generated service', () => {
  test('GIVEN files in the manifest THEN the service\'s own .projenrc.ts keeps them (a copied-out service regenerates alike) and the README says each owned file\'s policy', () => {
    const dir = tempDir();
    synthFleet(dir, { name: 'acme', services: [{ name: 'orders', blueprint: 'step-functions-service', functions: { 'take-order': {} }, events: [{ source: 'shop.orders', detailType: 'Order Placed' }], files: { 'src/functions/**': 'never-update' } }] });
    const service = path.join(dir, 'projects/orders');
    expect(read(service, '.projenrc.ts')).toContain('  "files": {\n    "src/functions/**": "never-update"\n  }\n}).synth();');
    const readme = read(service, 'README.md');
    expect(readme).toContain('| `src/functions/take-order.ts` | owned, never-update |');
    expect(readme).toContain('| `events/order-placed.json` | owned, add-only |');
    expect(readme).toContain('| `src/workflow.ts` | owned |');
    expect(readme).toContain('| `docs/workflow.mmd` | owned, drawn by `npx fleet graph --write` |');

    // The copied-out service regenerates from its own .projenrc.ts to the same files.
    forceWrite(service, 'src/functions/take-order.ts', EDIT);
    const rc = read(service, '.projenrc.ts');
    const options = JSON.parse(rc.slice(rc.indexOf('new StepFunctionsService(') + 'new StepFunctionsService('.length, rc.lastIndexOf(').synth();')));
    new StepFunctionsService({ ...options, outdir: service }).synth();
    expect(read(service, '.projenrc.ts')).toBe(rc);
    expect(read(service, 'README.md')).toBe(readme);
    expect(read(service, 'src/functions/take-order.ts')).toBe(EDIT);
  });
});

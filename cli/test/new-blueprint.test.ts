import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { newBlueprint } from '../src/commands/new-blueprint';

const REPO = path.resolve(__dirname, '..', '..');

/** An empty folder whose parent resolves packages from this repository's node_modules (no install). */
function scratch(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'new-blueprint-'));
  symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

describe('fleet new blueprint', () => {
  test('GIVEN an empty folder WHEN fleet new blueprint runs THEN the package it creates passes its own tests and type-checks', () => {
    const dir = scratch();
    const printed = newBlueprint('nightly-report', {}, dir);
    expect(printed).toBe(
      'Created the blueprint package @fleet-teams/nightly-report-blueprint in nightly-report/ (10 files).\n' +
      'Next: cd nightly-report && npm install && npm test (docs/writing-a-blueprint.md in the fleet repository says how to grow it).\n',
    );
    const pkg = path.join(dir, 'nightly-report');
    expect(readFileSync(path.join(pkg, 'src', 'nightly-report.ts'), 'utf-8')).toContain("export const NIGHTLY_REPORT: Blueprint<NightlyReportOptions> = {");
    expect(JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf-8')).dependencies).toEqual({ '@fleet/blueprints': '0.1.0' });
    const typecheck = spawnSync('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'], { cwd: pkg, encoding: 'utf-8' });
    expect(typecheck.stdout + typecheck.stderr).toBe('');
    const tests = spawnSync('npx', ['jest', '--ci'], { cwd: pkg, encoding: 'utf-8' });
    expect(tests.stderr).toMatch(/Tests:\s+2 passed, 2 total/);
    expect(tests.status).toBe(0);
  }, 180_000);

  test('GIVEN a fleet repository WHEN fleet new blueprint runs in it THEN the package goes to team-blueprints/<name> and the next steps name the manifest', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'new-blueprint-fleet-'));
    writeFileSync(path.join(root, '.projenrc.ts'), '');
    mkdirSync(path.join(root, 'projects'));
    expect(newBlueprint('billing-sync', { package: '@acme/billing-sync-blueprint' }, path.join(root, 'projects'))).toBe([
      'Created the blueprint package @acme/billing-sync-blueprint in ../team-blueprints/billing-sync/ (10 files).',
      'Next (docs/writing-a-blueprint.md):',
      "  1. In .projenrc.ts, add 'team-blueprints/billing-sync' to blueprintPackages and run npx projen: it installs the package as a workspace and builds it.",
      "  2. Import { BILLING_SYNC } from '@acme/billing-sync-blueprint', add it to blueprints, declare a service with blueprint: 'billing-sync', and run npx projen.",
      "  The blueprint's own tests: cd ../team-blueprints/billing-sync && npm test.",
      '',
    ].join('\n'));
    expect(readFileSync(path.join(root, 'team-blueprints', 'billing-sync', '.gitignore'), 'utf-8')).toBe('lib/\nnode_modules/\n*.tsbuildinfo\n');
  });

  test('GIVEN a bad name, a bad package name and a folder in use WHEN fleet new blueprint runs THEN every problem is reported and nothing is written', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'new-blueprint-bad-'));
    mkdirSync(path.join(dir, 'Nightly'));
    writeFileSync(path.join(dir, 'Nightly', 'notes.txt'), 'mine');
    expect(() => newBlueprint('Nightly', { package: 'My Blueprint', dir: 'Nightly' }, dir)).toThrow([
      '3 problems:',
      '  1. blueprint name: must be kebab-case, 3-40 characters (lowercase letters, digits, single hyphens), got "Nightly". Fix: e.g. "nightly-report".',
      '  2. --package: must be an npm package name (lowercase letters, digits, ".", "_", "-", optionally @scope/), got "My Blueprint". Fix: e.g. --package @my-team/my-blueprint.',
      '  3. --dir: Nightly already exists and is not empty, got "Nightly". Fix: choose another --dir, or move that folder away first (nothing is overwritten).',
    ].join('\n'));
    expect(readFileSync(path.join(dir, 'Nightly', 'notes.txt'), 'utf-8')).toBe('mine');
  });

  test('GIVEN names whose class or constant the package\'s own code already uses, a package name the fleet has, or a built-in blueprint\'s id WHEN fleet new blueprint runs THEN each is refused and nothing is written', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'new-blueprint-names-'));
    // "json" -> const JSON shadows the JSON.parse that reads the package's version (ReferenceError on load);
    // "blueprint" -> class Blueprint collides with the imported Blueprint type; "package" -> PACKAGE.
    expect(() => newBlueprint('json', {}, dir)).toThrow('blueprint name: would name the package\'s JSON, which its own code already uses (an import, a declaration or a global), got "json". Fix: choose a more specific name, e.g. "json-job".');
    expect(() => newBlueprint('blueprint', {}, dir)).toThrow('blueprint name: would name the package\'s Blueprint, which its own code already uses (an import, a declaration or a global), got "blueprint".');
    expect(() => newBlueprint('package', {}, dir)).toThrow('blueprint name: would name the package\'s PACKAGE, which its own code already uses');
    expect(() => newBlueprint('owned-file', {}, dir)).toThrow('would name the package\'s OwnedFile');
    expect(() => newBlueprint('nightly-report', { package: '@fleet/blueprints' }, dir)).toThrow('--package: is a package the fleet already has (its own or one it pins), got "@fleet/blueprints". Fix: name your own package, e.g. --package @my-team/nightly-report-blueprint.');
    expect(() => newBlueprint('nightly-report', { package: 'projen' }, dir)).toThrow('--package: is a package the fleet already has (its own or one it pins), got "projen".');
    expect(() => newBlueprint('step-functions-service', {}, dir)).toThrow('blueprint name: is the id of a built-in blueprint, got "step-functions-service". Fix: choose another id, e.g. "step-functions-service-custom".');
    expect(readdirSync(dir)).toEqual([]);
  });

  test('GIVEN a --dir that is a file, or in a fleet a folder outside the repository or under projects/ WHEN fleet new blueprint runs THEN refused with the folder named, nothing written', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'new-blueprint-dir-'));
    writeFileSync(path.join(root, '.projenrc.ts'), '');
    mkdirSync(path.join(root, 'projects'));
    writeFileSync(path.join(root, 'notes.txt'), 'mine');
    expect(() => newBlueprint('nightly-report', { dir: 'notes.txt' }, root)).toThrow('--dir: notes.txt is a file, not a folder, got "notes.txt". Fix: choose a folder that does not exist yet, or an empty one (nothing is overwritten).');
    const outside = mkdtempSync(path.join(tmpdir(), 'new-blueprint-outside-'));
    const fix = 'Fix: leave --dir out for team-blueprints/nightly-report, or run the command outside the fleet repository.';
    const where = `must be a folder inside the fleet repository ${root} (not under projects/ or node_modules/), of letters, digits, ".", "_", "-" and "/": the manifest's blueprintPackages lists it`;
    expect(() => newBlueprint('nightly-report', { dir: outside }, root)).toThrow(`--dir: ${where}, got ${JSON.stringify(outside)}. ${fix}`);
    expect(() => newBlueprint('nightly-report', { dir: 'projects/nightly' }, root)).toThrow(`--dir: ${where}, got "projects/nightly". ${fix}`);
    expect(() => newBlueprint('nightly-report', { dir: 'my blueprints/x' }, root)).toThrow(`--dir: ${where}, got "my blueprints/x". ${fix}`);
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(root).sort()).toEqual(['.projenrc.ts', 'notes.txt', 'projects']);
  });
});

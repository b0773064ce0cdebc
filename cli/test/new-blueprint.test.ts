import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
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
      'blueprint name: must be kebab-case, 3-40 characters (lowercase letters, digits, single hyphens), got "Nightly". Fix: e.g. "nightly-report".',
      '--package: must be an npm package name (lowercase letters, digits, ".", "_", "-", optionally @scope/), got "My Blueprint". Fix: e.g. --package @my-team/my-blueprint.',
      '--dir: Nightly already exists and is not empty. Fix: choose another --dir, or move that folder away first (nothing is overwritten).',
    ].join('\n'));
    expect(readFileSync(path.join(dir, 'Nightly', 'notes.txt'), 'utf-8')).toBe('mine');
  });
});

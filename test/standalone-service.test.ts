import { mkdirSync, readdirSync } from 'fs';
import * as path from 'path';
import { copyProject, REPO, run, runOk, snapshotTree, tempDir } from './support';

/**
 * Every service must work as its own repository: copied out of the fleet, with the fleet's
 * packages installed from tarballs (as from a private registry), it regenerates to exactly
 * the same files and its tests pass.
 */
describe('a service copied out as its own repository', () => {
  const work = tempDir('standalone-');
  const tarballs = path.join(work, 'packages');
  const service = path.join(work, 'scan-ingest');

  beforeAll(() => {
    mkdirSync(tarballs);
    for (const pkg of ['contracts', 'rollout', 'blueprints', 'workflows', 'simulator', 'cli']) {
      runOk('npm', ['pack', '--silent', '--pack-destination', tarballs], path.join(REPO, pkg));
    }
    copyProject(path.join(REPO, 'projects', 'scan-ingest'), service);
    const packed = readdirSync(tarballs).map((f) => path.join(tarballs, f));
    // --no-save: package.json keeps "@fleet/blueprints": "0.1.0", as the blueprint wrote it.
    runOk('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefer-offline', ...packed], service);
  }, 300_000);

  test('regenerates to exactly the files the fleet generated', () => {
    const before = snapshotTree(service);
    runOk('npx', ['projen'], service);
    expect(snapshotTree(service)).toEqual(before);
  }, 120_000);

  test('passes its CI\'s first step, the drift check, on the repository as generated (git init, commit)', () => {
    runOk('git', ['init', '-q'], service);
    runOk('git', ['add', '-A'], service);
    runOk('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-qm', 'copied out'], service);

    const result = run('npx', ['fleet-drift'], service);

    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('No drift: every generated file matches what its blueprint generates.\n');
    expect(result.status).toBe(0);
  }, 120_000);

  test('runs its workflow locally with the real handlers and an embedded DynamoDB', () => {
    const result = run('npx', ['projen', 'workflow:run', '--input', 'events/scan-uploaded.json', '--json'], service);
    const lines = result.stdout.trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1])).toMatchObject({ status: 'SUCCEEDED', output: { counted: true } });
    expect(result.stdout).toMatch(/DynamoDB table \S+ \(Table\/Table\): 3 items/);
    expect(result.status).toBe(0);
  }, 180_000);

  test('passes its own tests', () => {
    const result = run('npx', ['projen', 'test'], service);
    expect(result.stderr + result.stdout).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(result.status).toBe(0);
  }, 300_000);
});

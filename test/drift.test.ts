import { chmodSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { createFleetRepo, FLEET_DRIFT, run, snapshotTree, writeManifest } from './support';

const MANIFEST = `{
  name: 'drift-demo',
  services: [{
    name: 'scan-ingest',
    blueprint: 'step-functions-service',
    functions: { 'validate-scan': {}, 'store-scan': { tableAccess: 'write' } },
    events: [{ source: 'scanner.device', detailType: 'Scan Uploaded' }],
  }],
}`;

describe('the drift check', () => {
  const repo = createFleetRepo(MANIFEST);

  test('passes on a freshly generated fleet', () => {
    const result = run('node', [FLEET_DRIFT], repo);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('No drift: every generated file matches what its blueprint generates.\n');
    expect(result.status).toBe(0);
  });

  test('fails on a hand-edited managed file and names it', () => {
    const stack = path.join(repo, 'projects/scan-ingest/src/stack.ts');
    chmodSync(stack, 0o644);
    writeFileSync(stack, `${readFileSync(stack, 'utf-8')}\n// a quick fix made by hand\n`);

    const result = run('node', [FLEET_DRIFT], repo);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Drift: regenerating changed 1 file:\n  modified projects/scan-ingest/src/stack.ts\n');
    expect(result.stderr).toContain('Fix: put the change in the manifest (.projenrc.ts) or in a file the team owns');
  });

  test('keeps an edited handler through regeneration, which is not drift', () => {
    const handler = path.join(repo, 'projects/scan-ingest/src/functions/validate-scan.ts');
    writeFileSync(handler, 'export const handler = async () => ({ valid: true }); // the team\'s own code\n');

    const result = run('node', [FLEET_DRIFT], repo);

    expect(result.status).toBe(0);
    expect(readFileSync(handler, 'utf-8')).toBe('export const handler = async () => ({ valid: true }); // the team\'s own code\n');
  });

  test('a broken manifest lists every problem, exits non-zero and changes no file', () => {
    const before = snapshotTree(repo);
    writeManifest(repo, `{
      name: 'drift-demo',
      services: [
        { name: 'scan-ingest', blueprint: 'step-functions-service', functions: {} },
        { name: 'scan-ingest', blueprint: 'step-functions-service', functions: { 'x-1': { memoryMb: 1 } } },
        { name: 'Billing', blueprint: 'monolith', functions: { a1: {} } },
      ],
    } as any`);
    const manifestAfterEdit = readFileSync(path.join(repo, '.projenrc.ts'), 'utf-8');

    const result = run('npx', ['projen'], repo);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('The fleet manifest (.projenrc.ts) has 5 problems; no file was changed:');
    expect(result.stderr).toContain('1. services["scan-ingest"].functions: must name at least one function, got {}.');
    expect(result.stderr).toContain('2. services["scan-ingest"].name: is declared twice (services[0] and services[1]), got "scan-ingest".');
    expect(result.stderr).toContain('3. services["scan-ingest"].functions["x-1"].memoryMb: must be a whole number of MB from 128 to 10240, got 1.');
    expect(result.stderr).toContain('4. services["Billing"].name: must be kebab-case');
    expect(result.stderr).toContain('5. services["Billing"].blueprint: is not a known blueprint, got "monolith".');
    expect(snapshotTree(repo)).toEqual({ ...before, '.projenrc.ts': manifestAfterEdit });
  });
});

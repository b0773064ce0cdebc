import { existsSync, mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { Fleet, FleetManifestError, OwnedFileConflictError, StepFunctionsServiceDeclaration } from '../src';
import { listTree, read, synthFleet, tempDir } from './helpers';

const scanIngest: StepFunctionsServiceDeclaration = {
  name: 'scan-ingest',
  blueprint: 'step-functions-service',
  functions: { 'validate-scan': {}, 'store-scan': { tableAccess: 'write' } },
};
const deviceRegistry: StepFunctionsServiceDeclaration = { name: 'device-registry', blueprint: 'step-functions-service', functions: { 'register-device': {} } };

function captureStderr(fn: () => void): string {
  const written: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
    written.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return written.join('');
}

describe('a fleet', () => {
  test('generates every service under projects/ and ties them together with npm workspaces', () => {
    const outdir = tempDir();
    synthFleet(outdir, { name: 'demo', services: [scanIngest, deviceRegistry] });
    const pkg = JSON.parse(read(outdir, 'package.json'));
    expect(pkg.workspaces).toEqual(['contracts', 'rollout', 'blueprints', 'workflows', 'simulator', 'cli', 'projects/scan-ingest', 'projects/device-registry']);
    expect(pkg.jest.projects).toContain('<rootDir>/projects/device-registry');
    expect(existsSync(path.join(outdir, 'projects/scan-ingest/src/stack.ts'))).toBe(true);
    expect(existsSync(path.join(outdir, 'projects/device-registry/src/stack.ts'))).toBe(true);
  });

  test('keeps a team\'s handler edit when regenerating', () => {
    const outdir = tempDir();
    synthFleet(outdir, { name: 'demo', services: [scanIngest] });
    const handler = path.join(outdir, 'projects/scan-ingest/src/functions/validate-scan.ts');
    writeFileSync(handler, '// our own validation\nexport const handler = async () => ({ ok: true });\n');
    synthFleet(outdir, { name: 'demo', services: [scanIngest] });
    expect(read(outdir, 'projects/scan-ingest/src/functions/validate-scan.ts')).toBe('// our own validation\nexport const handler = async () => ({ ok: true });\n');
  });

  test('refuses to drop a service that is not marked retired, and writes nothing', () => {
    const outdir = tempDir();
    synthFleet(outdir, { name: 'demo', services: [scanIngest, deviceRegistry] });
    const before = listTree(outdir);
    expect(() => synthFleet(outdir, { name: 'demo', services: [scanIngest] })).toThrow(FleetManifestError);
    expect(() => synthFleet(outdir, { name: 'demo', services: [scanIngest] })).toThrow(
      'projects/device-registry: is a generated service that is no longer in the manifest, got "device-registry". Fix: add it back to services, or add "device-registry" to retired to remove its managed files (the files its team owns are kept and listed).',
    );
    expect(listTree(outdir)).toEqual(before);
  });

  test('retiring a service removes its managed files, keeps the owned ones and lists them', () => {
    const outdir = tempDir();
    synthFleet(outdir, { name: 'demo', services: [scanIngest, deviceRegistry] });
    const output = captureStderr(() => synthFleet(outdir, { name: 'demo', services: [scanIngest], retired: ['device-registry'] }));
    expect(listTree(path.join(outdir, 'projects/device-registry'))).toEqual([
      'src/functions/register-device.ts',
      'src/workflow.ts',
      'test/functions/register-device.test.ts',
      'test/workflow.test.ts',
    ]);
    expect(output).toContain('retired service "device-registry": managed files removed; kept 4 files its team owns in projects/device-registry/:');
    expect(output).toContain('  src/functions/register-device.ts\n');
    expect(output).toContain('  src/workflow.ts\n');
    expect(JSON.parse(read(outdir, 'package.json')).workspaces).not.toContain('projects/device-registry');
  });

  test('GIVEN a retired service with build output WHEN npx projen runs again THEN cdk.out/ is named once, not listed as files its team owns', () => {
    const outdir = tempDir();
    synthFleet(outdir, { name: 'demo', services: [scanIngest, deviceRegistry] });
    mkdirSync(path.join(outdir, 'projects/device-registry/cdk.out'), { recursive: true });
    writeFileSync(path.join(outdir, 'projects/device-registry/cdk.out/device-registry.template.json'), '{}');
    const output = captureStderr(() => synthFleet(outdir, { name: 'demo', services: [scanIngest], retired: ['device-registry'] }));
    expect(output).toContain('retired service "device-registry": managed files removed; kept 4 files its team owns in projects/device-registry/:');
    expect(output).toContain('(and build output, not listed: cdk.out/)\n');
    expect(output).not.toContain('device-registry.template.json');
  });

  test('refuses to overwrite a file the team wrote where a managed file goes, and writes nothing', () => {
    const outdir = tempDir();
    mkdirSync(path.join(outdir, 'projects/scan-ingest/src'), { recursive: true });
    writeFileSync(path.join(outdir, 'projects/scan-ingest/src/stack.ts'), '// our hand-written stack\n');
    expect(() => synthFleet(outdir, { name: 'demo', services: [scanIngest] })).toThrow(OwnedFileConflictError);
    expect(() => synthFleet(outdir, { name: 'demo', services: [scanIngest] })).toThrow(/^Regeneration has 1 problem; no file was changed:\n {2}1\. .*projects\/scan-ingest\/src\/stack\.ts: would be overwritten by a managed file, but projen did not generate it \(it is a team's file\)\. Fix: move or rename it \(it is yours\), or keep it owned \(no always-update policy in the service's files\), then run "npx projen" again\.$/);
    expect(listTree(outdir)).toEqual(['projects/scan-ingest/src/stack.ts']);
    expect(read(outdir, 'projects/scan-ingest/src/stack.ts')).toBe('// our hand-written stack\n');
  });

  test('never deletes a team file that merely quotes projen\'s marker on a first run', () => {
    const outdir = tempDir();
    mkdirSync(path.join(outdir, 'docs'), { recursive: true });
    writeFileSync(path.join(outdir, 'docs/notes.md'), 'Files that say "~~ Generated by projen" are managed.\n');
    synthFleet(outdir, { name: 'demo', services: [scanIngest] });
    expect(read(outdir, 'docs/notes.md')).toBe('Files that say "~~ Generated by projen" are managed.\n');
  });

  test('prints manifest problems and exits non-zero from synth()', () => {
    const outdir = tempDir();
    const fleet = new Fleet({ name: 'demo', outdir, installAfterChange: false, services: [{ ...scanIngest, functions: {} }] });
    const output = captureStderr(() => fleet.synth());
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
    expect(output).toContain('services["scan-ingest"].functions: must name at least one function');
    expect(listTree(outdir)).toEqual([]);
  });
});

import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { createFleetRepo, FLEET_DRIFT, REPO, run, snapshotTree } from './support';

/** The fleet CLI as a user runs it (`npx fleet`), from this repository's compiled package. */
const FLEET = path.join(REPO, 'cli', 'bin', 'fleet.js');

const MANIFEST = `{
  name: 'scaffold-demo',
  services: [
    {
      // The first service: the new one goes after it.
      name: 'scan-ingest',
      blueprint: 'step-functions-service',
      functions: { 'validate-scan': {} },
    },
  ],
}`;

describe('npx fleet new service', () => {
  test('GIVEN a fleet WHEN a service is added with its functions and event THEN the manifest gets the entry and npx projen generates it, drift-clean', () => {
    const repo = createFleetRepo(MANIFEST);
    const result = run('node', [FLEET, 'new', 'service', 'label-printing', '--description', 'Prints shipping labels for accepted scans.',
      '--function', 'render-label', '--function', 'store-label', '--event', 'scanner.device:Label Requested'], repo);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Added label-printing (step-functions-service) to .projenrc.ts.\n');
    expect(result.stdout).toContain('Generated projects/label-printing.');
    expect(readFileSync(path.join(repo, '.projenrc.ts'), 'utf-8')).toContain("      // The first service: the new one goes after it.\n");
    expect(existsSync(path.join(repo, 'projects/label-printing/src/functions/render-label.ts'))).toBe(true);
    expect(readFileSync(path.join(repo, 'projects/label-printing/src/stack.ts'), 'utf-8')).toContain("'Label Requested'");
    run('git', ['add', '-A'], repo);
    expect(run('node', [FLEET_DRIFT], repo).status).toBe(0);
  });

  test('GIVEN a value the manifest rejects WHEN a service is added THEN .projenrc.ts is put back byte for byte and nothing is written', () => {
    const repo = createFleetRepo(MANIFEST);
    const before = snapshotTree(repo);
    // A description with a line break: the blueprint refuses text that no encoding keeps on one line.
    const result = run('node', [FLEET, 'new', 'service', 'label-printing', '--description', 'two\nlines'], repo);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('service "label-printing": npx projen rejected the manifest (the problems are printed above); .projenrc.ts is back as it was and nothing was written.');
    expect(snapshotTree(repo)).toEqual(before);
  });

  test('GIVEN a service of that name WHEN it is added again THEN it is refused before anything is written', () => {
    const repo = createFleetRepo(MANIFEST);
    const before = snapshotTree(repo);
    const result = run('node', [FLEET, 'new', 'service', 'scan-ingest'], repo);
    expect(result.stderr).toBe('service "scan-ingest": is already in the manifest (.projenrc.ts). Fix: choose another name, or edit its entry.\n');
    expect(result.status).toBe(1);
    expect(snapshotTree(repo)).toEqual(before);
  });
});
